import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import type { LinkClientOptions } from "@mtx-fleet/agent";

/** Telemetry as a link client sends it (the agent's `TelemetryInit`). */
export type SimulatedTelemetry = NonNullable<ReturnType<NonNullable<LinkClientOptions["telemetry"]>>>;

const BYTES_PER_SECOND = 250_000; // ~2 Mbit/s per path, a typical camera stream

/**
 * A full telemetry of `paths` live paths, shaped like the agent's `buildTelemetry` output: the
 * byte counters grow with `sequence` (2 s apart), so each message carries real deltas.
 */
export function simulatedTelemetry(paths: number, sequence: number, intervalMs: number): SimulatedTelemetry {
  const now = Date.now();
  const since = timestampFromMs(now - 3_600_000);
  const grownBytes = BigInt(Math.round((BYTES_PER_SECOND * sequence * intervalMs) / 1000));
  return {
    takenAt: timestampFromMs(now),
    sequence: BigInt(sequence),
    status: {
      agentVersion: "bench",
      mediamtxVersion: "v1.9.3",
      mediamtxReachable: true,
      pluginsRunning: 0,
      pluginsFailed: 0,
      outboxPending: 0n,
      snapshotAgeMs: 0,
    },
    full: true,
    paths: Array.from({ length: paths }, (_, i) => ({
      name: `cam/${String(i).padStart(4, "0")}`,
      confName: "all_others",
      available: true,
      sourceType: "rtspSession",
      tracks: ["H264", "MPEG-4 Audio"],
      readers: i % 3,
      inboundBytes: grownBytes,
      outboundBytes: grownBytes * BigInt(i % 3),
      inboundBytesPerSecond: BYTES_PER_SECOND,
      outboundBytesPerSecond: BYTES_PER_SECOND * (i % 3),
      availableSince: since,
    })),
  };
}
