import type { StreamVerdict as StreamVerdictName } from "@mtx-fleet/plugin-api";
import { StreamVerdict } from "./gen/mtx/v1/telemetry_pb.ts";

const NAMES = new Map<StreamVerdict, StreamVerdictName>([
  [StreamVerdict.HEALTHY, "healthy"],
  [StreamVerdict.DEGRADED, "degraded"],
  [StreamVerdict.UNHEALTHY, "unhealthy"],
  [StreamVerdict.UNKNOWN, "unknown"],
]);

/** `StreamVerdict.UNHEALTHY` → `"unhealthy"`; UNSPECIFIED (or a newer value) reads as `"unknown"`. */
export function streamVerdictName(verdict: StreamVerdict): StreamVerdictName {
  return NAMES.get(verdict) ?? "unknown";
}

/** `"degraded"` → `StreamVerdict.DEGRADED`. */
export function streamVerdictFromName(name: StreamVerdictName): StreamVerdict {
  for (const [value, text] of NAMES) if (text === name) return value;
  return StreamVerdict.UNKNOWN;
}
