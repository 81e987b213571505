import { timestampDate } from "@bufbuild/protobuf/wkt";
import type { PathStatus } from "@mtx-fleet/proto";
import type { StreamRecord } from "../store/hub-records.ts";
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
    availableSince:
      path.availableSince === undefined ? null : timestampDate(path.availableSince).toISOString(),
    updatedAt,
  };
}
