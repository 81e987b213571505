import type { MtxPath, MtxPathReader, MtxPathSource, MtxTrack2 } from "./model.ts";
import { ShapeReader, stringItems } from "./shape-reader.ts";

/** Source/reader type names that changed; old spelling → current. */
const RENAMED_TYPES: Readonly<Record<string, string>> = {
  webrtcSession: "webRTCSession", // before v1.11.0
  webrtcSource: "webRTCSource",
  udpSource: "mpegtsSource", // before v1.14.0
};

/** Current spelling of a source or reader type. */
export function normaliseTypeName(type: string): string {
  return RENAMED_TYPES[type] ?? type;
}

/**
 * Normalises a runtime path object of any version (v1.9.3 `ready`/`bytesReceived` …
 * v1.20 `available`/`inboundBytes`). The shape is sniffed per object, so the result does
 * not depend on version detection.
 */
export function normalisePath(raw: unknown, where: string): MtxPath {
  const r = new ShapeReader(raw, where);
  const hasAvailable = r.has("available");
  const hasOnline = r.has("online");
  const tracks2 = r.optArray("tracks2");
  return {
    name: r.string("name"),
    confName: r.string("confName"),
    available: hasAvailable ? r.boolean("available") : r.boolean("ready"),
    availableTime: hasAvailable ? r.optString("availableTime") : r.optString("readyTime"),
    online: hasOnline ? r.boolean("online") : null,
    onlineTime: hasOnline ? r.optString("onlineTime") : null,
    source: normaliseSource(r.optObject("source")),
    tracks: stringItems(r.optArray("tracks") ?? [], `${where}.tracks`),
    tracks2: tracks2 === null ? null : tracks2.map((t, i) => normaliseTrack2(t, `${where}.tracks2[${i}]`)),
    readers: r.array("readers").map((x, i) => normaliseReader(x, `${where}.readers[${i}]`)),
    inboundBytes: r.has("inboundBytes") ? r.number("inboundBytes") : r.number("bytesReceived"),
    outboundBytes: r.has("outboundBytes") ? r.number("outboundBytes") : r.number("bytesSent"),
    inboundFramesInError: r.optNumber("inboundFramesInError"),
  };
}

function normaliseSource(s: ShapeReader | null): MtxPathSource | null {
  if (s === null) return null;
  return { type: normaliseTypeName(s.string("type")), id: s.optString("id") ?? "" };
}

function normaliseReader(raw: unknown, where: string): MtxPathReader {
  const r = new ShapeReader(raw, where);
  return { type: normaliseTypeName(r.string("type")), id: r.optString("id") ?? "" };
}

function normaliseTrack2(raw: unknown, where: string): MtxTrack2 {
  const r = new ShapeReader(raw, where);
  const props = r.optObject("codecProps");
  const codecProps: Record<string, string | number | boolean> = {};
  if (props !== null) {
    for (const [key, value] of Object.entries(props.raw)) {
      if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
        codecProps[key] = value;
      }
    }
  }
  return { codec: r.string("codec"), codecProps: props === null ? null : codecProps };
}
