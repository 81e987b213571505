import { startPluginHarness } from "@mtx-fleet/agent/testing";
import { type PluginDefinition, parseConfig } from "@mtx-fleet/plugin-api";
import { describe, expect, it } from "vitest";
import { compilePlan } from "./compile-plan.ts";
import {
  DEFAULT_FORWARDER_COMMAND,
  DEFAULT_INHERIT_ENV,
  orchestrationConfig,
} from "./orchestration-config.ts";
import { orchestrationPlugin } from "./orchestration-plugin.ts";

const parse = (input: unknown) => parseConfig(orchestrationConfig, input, "plugins.orchestration.config");

describe("orchestration config", () => {
  it("fills defaults, down to each rule's restart policy and each forwarder's command", () => {
    const config = parse({
      rules: [{ name: "republish", match: "live/{streamId}/in", command: ["ffmpeg", "-i", "{path}"] }],
      forwarders: [{ name: "egress", match: "live/{streamId}/out" }],
    });
    expect(config).toEqual({
      mediamtx: { rtmpUrl: "rtmp://127.0.0.1:1935", rtspUrl: "rtsp://127.0.0.1:8554" },
      rules: [
        {
          name: "republish",
          match: "live/{streamId}/in",
          command: ["ffmpeg", "-i", "{path}"],
          env: {},
          graceMs: 30_000,
          restart: { baseMs: 1_000, maxMs: 60_000, jitter: 0.5, stableAfterMs: 30_000 },
          stopSignal: "SIGTERM",
          stopTimeoutMs: 3_000,
        },
      ],
      forwarders: [
        {
          name: "egress",
          match: "live/{streamId}/out",
          destinations: [],
          input: "{rtmpUrl}/{path}",
          command: DEFAULT_FORWARDER_COMMAND,
          env: {},
          graceMs: 30_000,
          restart: { baseMs: 1_000, maxMs: 60_000, jitter: 0.5, stableAfterMs: 30_000 },
          stopSignal: "SIGTERM",
          stopTimeoutMs: 3_000,
        },
      ],
      reconcileFromSnapshot: true,
      inheritEnv: DEFAULT_INHERIT_ENV,
    });
    expect(compilePlan(config).entries.map((e) => [e.kind, e.name, e.pattern.captures])).toEqual([
      ["worker", "republish", ["streamId"]],
      ["forwarder", "egress", ["streamId"]],
    ]);
  });

  it("refuses a shell string as a command and unknown options", () => {
    expect(() => parse({ rules: [{ name: "x", match: "a/{id}", command: "ffmpeg -i x" }] })).toThrow(
      "plugins.orchestration.config.rules.0.command must be array",
    );
    expect(() => parse({ rules: [{ name: "x", match: "a", command: ["w"], shell: true }] })).toThrow(
      "plugins.orchestration.config.rules.0.shell: unknown option",
    );
  });

  it.each([
    [
      { rules: [{ name: "x", match: "live/{streamId}/in", command: ["w", "{stream}"] }] },
      "plugins.orchestration.config.rules.0.command uses unknown placeholder {stream} (known: {streamId}, {path}, {query}, {rtmpUrl}, {rtspUrl})",
    ],
    [
      { rules: [{ name: "x", match: "live/{streamId}/in", command: ["w"], env: { A: "{nope}" } }] },
      "env uses unknown placeholder {nope}",
    ],
    [
      { forwarders: [{ name: "f", match: "live/{streamId}/out", command: ["ffmpeg", "-i", "{input}"] }] },
      "plugins.orchestration.config.forwarders.0.command must use {destination}",
    ],
    [
      {
        rules: [
          { name: "x", match: "a/{id}", command: ["w"] },
          { name: "x", match: "b/{id}", command: ["w"] },
        ],
      },
      "plugins.orchestration.config.rules: the name 'x' is used twice",
    ],
    [
      { rules: [{ name: "x", match: "~(", command: ["w"] }] },
      "plugins.orchestration.config.rules.0: match '~(' is not a valid regular expression",
    ],
    [{ rules: [{ name: "x", match: "a/{id}", command: ["{id"] }] }, "template '{id' has a '{' without '}'"],
  ])("refuses %j", (input, message) => {
    expect(() => compilePlan(parse(input))).toThrow(message);
  });

  it("makes the plugin fail with the reason when the config cannot be compiled", async () => {
    const definition = orchestrationPlugin as unknown as PluginDefinition;
    await using harness = await startPluginHarness([
      { definition, config: { rules: [{ name: "x", match: "live/{id}", command: ["w", "{streamId}"] }] } },
    ]);
    const status = harness.status("orchestration");
    expect(status?.state.kind).toBe("failed");
    // The host reports a throwing setup as MTX_PLUGIN_FAILED, with the reason.
    expect(status?.lastError).toEqual({
      code: "MTX_PLUGIN_FAILED",
      details: { code: "MTX_INVALID_INPUT" },
      message:
        "plugin 'orchestration' setup threw: plugins.orchestration.config.rules.0.command uses unknown placeholder {streamId} (known: {id}, {path}, {query}, {rtmpUrl}, {rtspUrl})",
    });
  });
});
