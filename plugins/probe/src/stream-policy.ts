import { compilePathPattern, type PathPattern } from "./compile-path-pattern.ts";
import type { ProbeConfig, ProbeThresholds, StreamOverride } from "./probe-config.ts";

/** What one stream is judged against: thresholds and expectations after overrides. */
export interface StreamPolicy {
  readonly thresholds: ProbeThresholds;
  readonly expectAudio: boolean;
  /** null: compare with the fps the stream declares. */
  readonly expectedFps: number | null;
  /** Deep probes and thumbnails for this stream. */
  readonly deep: boolean;
}

/** Resolves the policy of a path name: the defaults, then the first override that matches. */
export type PolicyResolver = (pathName: string) => StreamPolicy;

/**
 * Compiles the overrides once (a bad regexp fails the config with the field named, e.g.
 * `plugins.probe.config.overrides.2.match`). The first matching override wins, like the
 * first matching `paths:` entry in MediaMTX, so order specific patterns first.
 */
export function createPolicyResolver(config: ProbeConfig, prefix = "plugins.probe.config"): PolicyResolver {
  const base: StreamPolicy = Object.freeze({
    thresholds: config.thresholds,
    expectAudio: config.expectAudio,
    expectedFps: null,
    deep: config.deep.enabled,
  });
  const compiled: ReadonlyArray<{ readonly test: PathPattern; readonly policy: StreamPolicy }> =
    config.overrides.map((override, index) => ({
      test: compilePathPattern(override.match, `${prefix}.overrides.${index}.match`),
      policy: applyOverride(base, override),
    }));
  return (pathName) => compiled.find((entry) => entry.test(pathName))?.policy ?? base;
}

function applyOverride(base: StreamPolicy, override: StreamOverride): StreamPolicy {
  return Object.freeze({
    thresholds: Object.freeze({ ...base.thresholds, ...override.thresholds }),
    expectAudio: override.expectAudio ?? base.expectAudio,
    expectedFps: override.expectedFps ?? base.expectedFps,
    // An override can turn deep probes off for its streams, never on when they are off globally.
    deep: base.deep && (override.deep ?? true),
  });
}
