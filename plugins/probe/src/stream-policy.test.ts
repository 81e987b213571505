import { MtxError, parseConfig } from "@mtx-fleet/plugin-api";
import { describe, expect, it } from "vitest";
import { compilePathPattern } from "./compile-path-pattern.ts";
import { probeConfig } from "./probe-config.ts";
import { createPolicyResolver } from "./stream-policy.ts";

describe("compilePathPattern", () => {
  it("matches literal names exactly, ~regexps against the whole name, and all/all_others everything", () => {
    const literal = compilePathPattern("cam/1");
    const regex = compilePathPattern("~cam/\\d+");
    const all = compilePathPattern("all_others");
    expect(["cam/1", "cam/12", "mycam/1", "cam/1/x"].map((n) => [literal(n), regex(n), all(n)])).toEqual([
      [true, true, true],
      [false, true, true],
      [false, false, true],
      [false, false, true],
    ]);
  });

  it("names the field of a regexp that does not compile", () => {
    const compile = () => compilePathPattern("~cam/(", "plugins.probe.config.overrides.0.match");
    expect(compile).toThrow(MtxError);
    expect(compile).toThrow(/^plugins\.probe\.config\.overrides\.0\.match is not a valid regular expression/);
  });
});

describe("createPolicyResolver", () => {
  it("applies the first matching override over the configured thresholds, field by field", () => {
    const config = parseConfig(probeConfig, {
      expectAudio: false,
      thresholds: { stallAfterMs: 4_000 },
      overrides: [
        { match: "~^studio/.*", thresholds: { blackMinSeconds: 0.5 }, expectAudio: true, expectedFps: 50 },
        { match: "~.*", thresholds: { blackMinSeconds: 9 }, deep: false },
      ],
    });
    const policy = createPolicyResolver(config);
    const studio = policy("studio/a");
    expect([
      studio.thresholds.stallAfterMs,
      studio.thresholds.blackMinSeconds,
      studio.thresholds.freezeMinSeconds,
    ]).toEqual([4_000, 0.5, 2]);
    expect([studio.expectAudio, studio.expectedFps, studio.deep]).toEqual([true, 50, true]);
    const other = policy("cam/1");
    expect([other.thresholds.blackMinSeconds, other.expectAudio, other.expectedFps, other.deep]).toEqual([
      9,
      false,
      null,
      false,
    ]);
  });

  it("keeps deep probes off for every stream when they are off globally", () => {
    const config = parseConfig(probeConfig, {
      deep: { enabled: false },
      overrides: [{ match: "a", deep: true }],
    });
    expect(createPolicyResolver(config)("a").deep).toBe(false);
  });

  it("fails a config whose override regexp does not compile", () => {
    const config = parseConfig(probeConfig, { overrides: [{ match: "~[" }] });
    expect(() => createPolicyResolver(config)).toThrow(/plugins\.probe\.config\.overrides\.0\.match/);
  });
});
