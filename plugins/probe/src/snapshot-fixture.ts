// Snapshots as the MediaMTX client gives them (v1.20 shapes), for the probe's unit tests.
import type { MtxHlsSession, MtxPath, MtxSnapshot, MtxSrtConn, SrtStatName } from "@mtx-fleet/mediamtx";
import { SRT_STAT_NAMES } from "@mtx-fleet/mediamtx";

/** A runtime path as the MediaMTX client gives it (v1.20 shape). */
export function path(name: string, fields: Partial<MtxPath> = {}): MtxPath {
  return {
    name,
    confName: name,
    available: true,
    availableTime: "2026-08-01T10:00:00Z",
    online: true,
    onlineTime: "2026-08-01T10:00:00Z",
    source: { type: "rtmpConn", id: "s1" },
    tracks: ["H264", "MPEG-4 Audio"],
    tracks2: null,
    readers: [],
    inboundBytes: 0,
    outboundBytes: 0,
    inboundFramesInError: 0,
    ...fields,
  };
}

export function snapshot(
  takenAt: number,
  paths: MtxPath[],
  connections: MtxSnapshot["connections"] = {},
): MtxSnapshot {
  return {
    takenAt,
    pollDurationMs: 1,
    paths,
    pathsByName: new Map(paths.map((p) => [p.name, p])),
    connections,
    disabled: [],
    consistent: true,
    previousTakenAt: null,
    deltas: new Map(),
  };
}

export function srtConn(pathName: string, stats: Partial<Record<SrtStatName, number>>): MtxSrtConn {
  const srt = Object.fromEntries(SRT_STAT_NAMES.map((n) => [n, stats[n] ?? 0])) as Record<
    SrtStatName,
    number
  >;
  return {
    type: "srtConn",
    id: "srt-1",
    created: "2026-08-01T10:00:00Z",
    remoteAddr: "10.0.0.9:5000",
    state: "publish",
    path: pathName,
    query: "",
    user: null,
    userAgent: null,
    inboundBytes: 0,
    outboundBytes: 0,
    outboundFramesDiscarded: 0,
    srt,
  };
}

export function hlsSession(id: string, pathName: string, userAgent: string): MtxHlsSession {
  return {
    type: "hlsSession",
    id,
    created: "2026-08-01T10:00:00Z",
    remoteAddr: "127.0.0.1:40000",
    state: "read",
    path: pathName,
    query: "",
    user: null,
    userAgent,
    inboundBytes: 0,
    outboundBytes: 0,
    isCDN: false,
  };
}
