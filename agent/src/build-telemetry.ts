import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import type { CurrentSnapshot } from "@mtx-fleet/mediamtx";
import type { TelemetryInit } from "./link/index.ts";

/** What telemetry reports besides the snapshot. */
export interface TelemetryStatus {
  readonly agentVersion: string;
  readonly mediamtxVersion: string;
  readonly mediamtxReachable: boolean;
  readonly pluginsRunning: number;
  readonly pluginsFailed: number;
  readonly outboxPending: number;
}

/**
 * Latest-wins telemetry from the shared snapshot. With a snapshot it is `full` (the hub
 * replaces what it holds for the node); without one it carries only the status, so a MediaMTX
 * that is down never empties the hub's view of the node's streams.
 */
export function buildTelemetry(
  current: CurrentSnapshot | null,
  status: TelemetryStatus,
  sequence: number,
): TelemetryInit {
  const base = {
    takenAt: timestampFromMs(Date.now()),
    sequence: BigInt(sequence),
    status: {
      ...status,
      outboxPending: BigInt(status.outboxPending),
      snapshotAgeMs: current === null ? 0 : Math.min(current.ageMs, 0xffffffff),
    },
  };
  if (current === null) return { ...base, full: false };
  const { snapshot } = current;
  return {
    ...base,
    full: true,
    paths: snapshot.paths.map((path) => {
      const delta = snapshot.deltas.get(path.name);
      return {
        name: path.name,
        confName: path.confName,
        available: path.available,
        sourceType: path.source?.type ?? "",
        tracks: [...path.tracks],
        readers: path.readers.length,
        inboundBytes: BigInt(path.inboundBytes),
        outboundBytes: BigInt(path.outboundBytes),
        inboundBytesPerSecond: delta?.inboundBytesPerSecond ?? 0,
        outboundBytesPerSecond: delta?.outboundBytesPerSecond ?? 0,
        ...(path.availableTime === null
          ? {}
          : { availableSince: timestampFromMs(Date.parse(path.availableTime)) }),
      };
    }),
  };
}
