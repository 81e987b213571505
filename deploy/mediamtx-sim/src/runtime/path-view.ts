import type { MtxVersion } from "../spec/mtx-version.ts";
import { goTime } from "../util/go-time.ts";
import type { RuntimePath } from "./runtime-path.ts";

const ZERO_TIME = "0001-01-01T00:00:00Z";

/** Renders a runtime path as `/v3/paths/get` of `version` does. */
export function pathView(p: RuntimePath, version: MtxVersion, nowMs: number): Record<string, unknown> {
  const available = p.available;
  const availableMs = p.availableMs;
  const availableTime = availableMs === undefined ? null : goTime(availableMs);
  const tracks2 = available
    ? (p.source?.media?.tracks() ?? alwaysAvailableTracks(p.conf.alwaysAvailableTracks))
    : [];
  const inbound = p.inboundBytes(nowMs);
  const outbound = p.outboundBytes(nowMs);
  const source = p.source === undefined ? null : { type: p.source.type, id: p.source.id };
  const readers = [...p.readers.values()]
    .map((r) => ({
      type: version === "v1.9.3" && r.type === "hlsSession" ? "hlsMuxer" : r.type,
      id: r.conn.id,
    }))
    .sort((a, b) => (a.type === b.type ? cmp(a.id, b.id) : cmp(a.type, b.type)));
  if (version === "v1.9.3") {
    return {
      name: p.name,
      confName: p.confName,
      source: available ? source : null,
      ready: available,
      readyTime: availableTime,
      tracks: tracks2.map((t) => t.codec),
      bytesReceived: inbound,
      bytesSent: outbound,
      readers,
    };
  }
  const online = p.source !== undefined;
  const pulledNeverConnected = p.source !== undefined && p.source.conn === undefined && !available;
  return {
    name: p.name,
    confName: p.confName,
    source,
    available,
    availableTime,
    online,
    onlineTime: online ? (pulledNeverConnected ? ZERO_TIME : goTime(p.source?.onlineMs ?? nowMs)) : null,
    ready: available,
    readyTime: availableTime,
    tracks: tracks2.map((t) => t.codec),
    tracks2,
    inboundBytes: inbound,
    outboundBytes: outbound,
    inboundFramesInError: 0,
    bytesReceived: inbound,
    bytesSent: outbound,
    readers,
  };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const CODECS: Record<string, string> = { MPEG4Audio: "MPEG-4 Audio" };

/** The declared tracks of an `alwaysAvailable` path without a publisher. */
function alwaysAvailableTracks(value: unknown): Array<{ codec: string; codecProps: null }> {
  const list = Array.isArray(value) ? (value as Array<Record<string, unknown>>) : [];
  return list.map((t) => ({ codec: CODECS[String(t.codec)] ?? String(t.codec), codecProps: null }));
}
