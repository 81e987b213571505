import type { MtxForwardDest, MtxHlsMuxer, MtxRecording } from "./model.ts";
import { ShapeReader } from "./shape-reader.ts";

/** Normalises an HLS muxer (`bytesSent` before v1.17). */
export function normaliseHlsMuxer(raw: unknown, where: string): MtxHlsMuxer {
  const r = new ShapeReader(raw, where);
  return {
    path: r.string("path"),
    created: r.string("created"),
    lastRequest: r.string("lastRequest"),
    outboundBytes: r.has("outboundBytes") ? r.number("outboundBytes") : r.number("bytesSent"),
    outboundFramesDiscarded: r.optNumber("outboundFramesDiscarded"),
  };
}

/** Normalises a recording entry; `start` strings are kept byte for byte. */
export function normaliseRecording(raw: unknown, where: string): MtxRecording {
  const r = new ShapeReader(raw, where);
  return {
    name: r.string("name"),
    segments: r
      .array("segments")
      .map((s, i) => ({ start: new ShapeReader(s, `${where}.segments[${i}]`).string("start") })),
  };
}

/** Normalises a forward destination (v1.20+). */
export function normaliseForwardDest(raw: unknown, where: string): MtxForwardDest {
  const r = new ShapeReader(raw, where);
  const conf = r.optObject("conf") ?? new ShapeReader({}, `${where}.conf`);
  return {
    id: r.string("id"),
    pos: r.number("pos"),
    created: r.string("created"),
    conf: {
      dest: conf.string("dest"),
      destFingerprint: conf.optString("destFingerprint"),
      whipBearerToken: conf.optString("whipBearerToken"),
    },
    protocol: r.string("protocol"),
    state: r.string("state"),
    lastError: r.optString("lastError"),
    outboundBytes: r.number("outboundBytes"),
  };
}
