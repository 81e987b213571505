import { stat } from "node:fs/promises";
import type { Segment } from "../recording/find-segments.ts";
import { type Fmp4Info, readFmp4Info } from "../recording/fmp4-duration.ts";

/** MediaMTX's `concatenationTolerance`. */
const CONCATENATION_TOLERANCE_MICROS = 500_000;

/** A recorded span: consecutive segments of one recorder run. */
export interface Span {
  startMicros: number;
  durationMicros: number;
  readonly segments: Array<Segment & { readonly durationMicros: number }>;
}

const cache = new Map<string, { mtimeMs: number; size: number; info: Fmp4Info }>();

/** Tracks and duration of a segment, cached by file, mtime and size (the last one still grows). */
export async function segmentInfo(file: string): Promise<Fmp4Info> {
  const st = await stat(file);
  const hit = cache.get(file);
  if (hit !== undefined && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit.info;
  const info = await readFmp4Info(file);
  cache.set(file, { mtimeMs: st.mtimeMs, size: st.size, info });
  return info;
}

const sameTracks = (a: Fmp4Info, b: Fmp4Info) =>
  a.tracks.length === b.tracks.length &&
  a.tracks.every(
    (t, i) =>
      t.id === b.tracks[i]?.id && t.timescale === b.tracks[i]?.timescale && t.codec === b.tracks[i]?.codec,
  );

/**
 * MediaMTX's `computeDurationAndConcatenate` (legacy rule): a segment continues the previous
 * span when its tracks are the same and it starts within 0.5 s of the span's end.
 */
export async function computeSpans(segments: readonly Segment[]): Promise<Span[]> {
  const spans: Span[] = [];
  let prev: Fmp4Info | undefined;
  for (const seg of segments) {
    const info = await segmentInfo(seg.file);
    const durationMicros = Math.round(info.durationSeconds * 1e6);
    const last = spans.at(-1);
    const lastEnd = last === undefined ? 0 : last.startMicros + last.durationMicros;
    if (
      last !== undefined &&
      prev !== undefined &&
      sameTracks(prev, info) &&
      Math.abs(seg.startMicros - lastEnd) <= CONCATENATION_TOLERANCE_MICROS
    ) {
      last.durationMicros = seg.startMicros + durationMicros - last.startMicros;
      last.segments.push({ ...seg, durationMicros });
    } else {
      spans.push({ startMicros: seg.startMicros, durationMicros, segments: [{ ...seg, durationMicros }] });
    }
    prev = info;
  }
  return spans;
}

/** Trims spans to `[startMicros, endMicros]` and drops those left empty. */
export function trimSpans(spans: Span[], startMicros?: number, endMicros?: number): Span[] {
  const out: Span[] = [];
  for (const s of spans) {
    let from = s.startMicros;
    let to = s.startMicros + s.durationMicros;
    if (startMicros !== undefined && startMicros > from) from = startMicros;
    if (endMicros !== undefined && endMicros < to) to = endMicros;
    if (to > from) out.push({ ...s, startMicros: from, durationMicros: to - from });
  }
  return out;
}
