import { readFile } from "node:fs/promises";

interface Box {
  readonly type: string;
  readonly start: number; // payload start
  readonly end: number;
}

function* boxes(buf: Buffer, from: number, to: number): Generator<Box> {
  let pos = from;
  while (pos + 8 <= to) {
    let size = buf.readUInt32BE(pos);
    const type = buf.toString("latin1", pos + 4, pos + 8);
    let header = 8;
    if (size === 1) {
      if (pos + 16 > to) return;
      size = Number(buf.readBigUInt64BE(pos + 8));
      header = 16;
    } else if (size === 0) {
      size = to - pos;
    }
    // A box still being written is cut off: stop at it.
    if (size < header || pos + size > to) return;
    yield { type, start: pos + header, end: pos + size };
    pos += size;
  }
}

const child = (buf: Buffer, parent: Box, type: string) =>
  [...boxes(buf, parent.start, parent.end)].find((b) => b.type === type);

interface TrackInfo {
  id: number;
  codec: string;
  timescale: number;
  defaultDuration: number;
  first?: number;
  end: number;
}

/** The fourcc of the first sample entry (`avc1`, `mp4a`...) under mdia/minf/stbl/stsd. */
function sampleEntryType(buf: Buffer, mdia: Box): string {
  const minf = child(buf, mdia, "minf");
  const stbl = minf === undefined ? undefined : child(buf, minf, "stbl");
  const stsd = stbl === undefined ? undefined : child(buf, stbl, "stsd");
  if (stsd === undefined || stsd.start + 16 > stsd.end) return "";
  return buf.toString("latin1", stsd.start + 12, stsd.start + 16);
}

function readMoov(buf: Buffer, moov: Box): Map<number, TrackInfo> {
  const tracks = new Map<number, TrackInfo>();
  for (const trak of boxes(buf, moov.start, moov.end)) {
    if (trak.type !== "trak") continue;
    const tkhd = child(buf, trak, "tkhd");
    const mdia = child(buf, trak, "mdia");
    const mdhd = mdia === undefined ? undefined : child(buf, mdia, "mdhd");
    if (tkhd === undefined || mdhd === undefined) continue;
    const id = buf.readUInt32BE(tkhd.start + (buf[tkhd.start] === 1 ? 20 : 12));
    const timescale = buf.readUInt32BE(mdhd.start + (buf[mdhd.start] === 1 ? 20 : 12));
    tracks.set(id, { id, codec: sampleEntryType(buf, mdia as Box), timescale, defaultDuration: 0, end: 0 });
  }
  const mvex = child(buf, moov, "mvex");
  for (const trex of mvex === undefined ? [] : boxes(buf, mvex.start, mvex.end)) {
    if (trex.type !== "trex") continue;
    const t = tracks.get(buf.readUInt32BE(trex.start + 4));
    if (t !== undefined) t.defaultDuration = buf.readUInt32BE(trex.start + 12);
  }
  return tracks;
}

function readTraf(buf: Buffer, traf: Box, tracks: Map<number, TrackInfo>): void {
  const tfhd = child(buf, traf, "tfhd");
  if (tfhd === undefined) return;
  const flags = buf.readUInt32BE(tfhd.start) & 0xffffff;
  const track = tracks.get(buf.readUInt32BE(tfhd.start + 4));
  if (track === undefined) return;
  let p = tfhd.start + 8 + (flags & 0x1 ? 8 : 0) + (flags & 0x2 ? 4 : 0);
  const defaultDuration = flags & 0x8 ? buf.readUInt32BE(p) : track.defaultDuration;
  const tfdt = child(buf, traf, "tfdt");
  const base =
    tfdt === undefined
      ? track.end
      : buf[tfdt.start] === 1
        ? Number(buf.readBigUInt64BE(tfdt.start + 4))
        : buf.readUInt32BE(tfdt.start + 4);
  let elapsed = 0;
  for (const trun of boxes(buf, traf.start, traf.end)) {
    if (trun.type !== "trun") continue;
    const tf = buf.readUInt32BE(trun.start) & 0xffffff;
    const count = buf.readUInt32BE(trun.start + 4);
    p = trun.start + 8 + (tf & 0x1 ? 4 : 0) + (tf & 0x4 ? 4 : 0);
    const stride = [0x100, 0x200, 0x400, 0x800].filter((f) => tf & f).length * 4;
    for (let i = 0; i < count; i++, p += stride)
      elapsed += tf & 0x100 ? buf.readUInt32BE(p) : defaultDuration;
  }
  track.first ??= base;
  track.end = Math.max(track.end, base + elapsed);
}

/** What the playback server needs of a segment: its tracks (for concatenation) and duration. */
export interface Fmp4Info {
  readonly tracks: ReadonlyArray<{ readonly id: number; readonly codec: string; readonly timescale: number }>;
  readonly durationSeconds: number;
}

/**
 * Duration in seconds of a fragmented MP4 (the longest track, from its first to its last
 * sample), read from the boxes like MediaMTX's playback server does. A box still being written
 * at the end of the file is ignored. Throws when `ftyp`/`moov` are missing.
 */
export async function readFmp4DurationSeconds(file: string): Promise<number> {
  return (await readFmp4Info(file)).durationSeconds;
}

/** Tracks and duration of a fragmented MP4 (see `readFmp4DurationSeconds`). */
export async function readFmp4Info(file: string): Promise<Fmp4Info> {
  const buf = await readFile(file);
  const top = [...boxes(buf, 0, buf.length)];
  const moov = top.find((b) => b.type === "moov");
  if (top[0]?.type !== "ftyp" || moov === undefined) throw new Error(`${file}: ftyp/moov box not found`);
  const tracks = readMoov(buf, moov);
  for (const moof of top) {
    if (moof.type !== "moof") continue;
    for (const traf of boxes(buf, moof.start, moof.end))
      if (traf.type === "traf") readTraf(buf, traf, tracks);
  }
  let max = 0;
  for (const t of tracks.values()) {
    if (t.first !== undefined && t.timescale > 0) max = Math.max(max, (t.end - t.first) / t.timescale);
  }
  const list = [...tracks.values()].map((t) => ({ id: t.id, codec: t.codec, timescale: t.timescale }));
  return { tracks: list, durationSeconds: max };
}
