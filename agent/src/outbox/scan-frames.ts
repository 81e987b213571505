import { FRAME_MAGIC, type FrameView, parseFrameAt } from "./frame.ts";

/** One step of `scanFrames`. */
export type ScanItem =
  | { readonly kind: "record"; readonly frame: FrameView }
  /** Damaged bytes `[offset, end)` with valid frames after them (bit rot): skipped. */
  | { readonly kind: "corrupt"; readonly offset: number; readonly end: number }
  /** Nothing valid from `offset` to the end of the buffer (a torn write): to be cut off. */
  | { readonly kind: "torn"; readonly offset: number };

/**
 * Walks the frames of a buffer. At a damaged or cut frame it searches forward for the next
 * valid frame: if there is one, the gap is reported as corrupt and skipped, so one bad record
 * never hides the ones after it; if there is none, the rest is a torn tail.
 */
export function* scanFrames(buffer: Buffer, startOffset = 0): Generator<ScanItem> {
  let offset = startOffset;
  while (offset < buffer.length) {
    const parsed = parseFrameAt(buffer, offset);
    if (parsed.kind === "ok") {
      yield { kind: "record", frame: parsed.frame };
      offset = parsed.frame.end;
      continue;
    }
    const next = findNextFrame(buffer, offset + 1);
    if (next === undefined) {
      yield { kind: "torn", offset };
      return;
    }
    yield { kind: "corrupt", offset, end: next };
    offset = next;
  }
}

function findNextFrame(buffer: Buffer, from: number): number | undefined {
  let at = buffer.indexOf(FRAME_MAGIC, from);
  while (at >= 0) {
    if (parseFrameAt(buffer, at).kind === "ok") return at;
    at = buffer.indexOf(FRAME_MAGIC, at + 1);
  }
  return undefined;
}
