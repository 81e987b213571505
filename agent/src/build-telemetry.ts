import type { JsonObject, MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import type { CurrentSnapshot } from "@mtx-fleet/mediamtx";
import type { StreamHealth } from "@mtx-fleet/plugin-api";
import { type StreamHealthSchema, streamVerdictFromName } from "@mtx-fleet/proto";
import type { TelemetryInit } from "./link/index.ts";

/** What plugins said about the streams (the host's `StreamBoardRegistry`). */
export interface TelemetryStreams {
  health(path: string): StreamHealth | undefined;
  ownReaders(path: string): number;
}

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
  streams: TelemetryStreams,
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
        // Viewers only: readers the agent opened itself (probes) are not viewers.
        readers: Math.max(0, path.readers.length - streams.ownReaders(path.name)),
        inboundBytes: BigInt(path.inboundBytes),
        outboundBytes: BigInt(path.outboundBytes),
        inboundBytesPerSecond: delta?.inboundBytesPerSecond ?? 0,
        outboundBytesPerSecond: delta?.outboundBytesPerSecond ?? 0,
        ...(path.availableTime === null
          ? {}
          : { availableSince: timestampFromMs(Date.parse(path.availableTime)) }),
        ...healthOf(streams.health(path.name)),
      };
    }),
  };
}

function healthOf(health: StreamHealth | undefined): {
  health?: MessageInitShape<typeof StreamHealthSchema>;
} {
  if (health === undefined) return {};
  return {
    health: {
      verdict: streamVerdictFromName(health.verdict),
      reasons: health.reasons.map((reason) => ({
        code: reason.code,
        severity: streamVerdictFromName(reason.severity),
        message: reason.message,
      })),
      values: health.values as JsonObject,
      checkedAt: timestampFromMs(health.checkedAt),
      since: timestampFromMs(health.since),
    },
  };
}
