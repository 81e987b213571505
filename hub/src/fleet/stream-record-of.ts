import { type Timestamp, timestampDate } from "@bufbuild/protobuf/wkt";
import { type PathStatus, type StreamHealth, streamVerdictName } from "@mtx-fleet/proto";
import type { StreamHealthRecord, StreamRecord } from "../store/hub-records.ts";
import { streamIdFor } from "./stream-id-for.ts";

/**
 * A telemetry path as the hub stores it. The id is always derived here from node and path
 * (never taken from the agent), so one node cannot address another node's streams.
 */
export function streamRecordOf(nodeId: string, path: PathStatus, updatedAt: string): StreamRecord {
  return {
    id: streamIdFor(nodeId, path.name),
    nodeId,
    pathName: path.name,
    confName: path.confName,
    available: path.available,
    sourceType: path.sourceType,
    tracks: [...path.tracks],
    readers: path.readers,
    inboundBytes: Number(path.inboundBytes),
    outboundBytes: Number(path.outboundBytes),
    inboundBytesPerSecond: path.inboundBytesPerSecond,
    outboundBytesPerSecond: path.outboundBytesPerSecond,
    availableSince: isoOf(path.availableSince),
    updatedAt,
    health: path.health === undefined ? null : healthRecordOf(path.health),
  };
}

/** Proto `StreamHealth` → the hub's record; an UNSPECIFIED (or newer) verdict reads as unknown. */
function healthRecordOf(health: StreamHealth): StreamHealthRecord {
  return {
    verdict: streamVerdictName(health.verdict),
    reasons: health.reasons.map((reason) => ({
      code: reason.code,
      severity: streamVerdictName(reason.severity),
      message: reason.message,
    })),
    values: { ...health.values },
    checkedAt: isoOf(health.checkedAt),
    since: isoOf(health.since),
  };
}

function isoOf(timestamp: Timestamp | undefined): string | null {
  return timestamp === undefined ? null : timestampDate(timestamp).toISOString();
}
