import { type FileHandle, open } from "node:fs/promises";
import { errnoCode } from "../store/index.ts";
import { type FrameView, parseFrameAt } from "./frame.ts";
import { scanFrames } from "./scan-frames.ts";

/** Bytes read per step; a frame bigger than this is read in one go. */
const CHUNK_BYTES = 256 * 1024;

/** Callbacks of `readFrames`; offsets they get are file offsets. */
export interface FrameVisitor {
  /** Return false to stop reading. */
  readonly onFrame: (frame: FrameView) => boolean;
  readonly onCorrupt: (offset: number) => void;
}

/**
 * Reads the frames of a segment file in `[fromOffset, toOffset)` in chunks. A damaged frame
 * (bit rot since open) makes it load the rest of the range and skip past the damage.
 * A file deleted meanwhile (retention) reads as empty.
 */
export async function readFrames(
  file: string,
  fromOffset: number,
  toOffset: number,
  visitor: FrameVisitor,
): Promise<void> {
  let handle: FileHandle;
  try {
    handle = await open(file, "r");
  } catch (e) {
    if (errnoCode(e) === "ENOENT") return;
    throw e;
  }
  try {
    await readOpenFrames(handle, fromOffset, toOffset, visitor);
  } finally {
    await handle.close();
  }
}

async function readOpenFrames(
  handle: FileHandle,
  fromOffset: number,
  toOffset: number,
  visitor: FrameVisitor,
): Promise<void> {
  let position = fromOffset;
  let want = CHUNK_BYTES;
  while (position < toOffset) {
    const requested = Math.min(want, toOffset - position);
    const chunk = await readAt(handle, position, requested);
    if (chunk.length === 0) return;
    // A file shorter than expected (cut from outside) ends the range where it ends.
    const rangeEnd = chunk.length < requested ? position + chunk.length : toOffset;
    want = CHUNK_BYTES;
    let at = 0;
    while (at < chunk.length) {
      const parsed = parseFrameAt(chunk, at);
      if (parsed.kind === "ok") {
        if (!visitor.onFrame(shift(parsed.frame, position))) return;
        at = parsed.frame.end;
        continue;
      }
      const endsInRange = position + chunk.length < rangeEnd;
      if (parsed.kind === "incomplete" && endsInRange) {
        if (at === 0 && parsed.frameBytes !== undefined) want = parsed.frameBytes;
        break;
      }
      await skipDamage(handle, position + at, rangeEnd, visitor);
      return;
    }
    position += at;
  }
}

/** The rare path: load the rest and let `scanFrames` find the next good frame. */
async function skipDamage(
  handle: FileHandle,
  offset: number,
  toOffset: number,
  visitor: FrameVisitor,
): Promise<void> {
  const rest = await readAt(handle, offset, toOffset - offset);
  for (const item of scanFrames(rest)) {
    if (item.kind === "record") {
      if (!visitor.onFrame(shift(item.frame, offset))) return;
    } else {
      visitor.onCorrupt(offset + item.offset);
    }
  }
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.allocUnsafe(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(buffer, filled, length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return buffer.subarray(0, filled);
}

function shift(frame: FrameView, by: number): FrameView {
  return { ...frame, offset: frame.offset + by, end: frame.end + by };
}
