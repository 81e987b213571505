export { createProbePlugin, PROBE_USER_AGENT } from "./create-probe-plugin.ts";
export type {
  DeepProbeMeasurement,
  DeepProbeRequest,
  DeepProbeResult,
  DetectedSpan,
} from "./deep/deep-probe-types.ts";
export { type ProbeConfig, type ProbeThresholds, probeConfig } from "./probe-config.ts";
export type { ProbeEngine, ProbeSlots, ThumbnailOutcome, ThumbnailRequest } from "./probe-engine.ts";
export type { PathProbeAnswer, ThumbnailAnswer } from "./probe-operations.ts";
/** The plugin under the name the agent looks for when a config names this package as `module`. */
export { probePlugin as plugin, probePlugin } from "./probe-plugin.ts";
export { realProbeEngine } from "./real-probe-engine.ts";
export { REASON_CODES, type ReasonCode } from "./reason-codes.ts";
export type { StreamReport, VerdictChange } from "./stream-monitor.ts";
