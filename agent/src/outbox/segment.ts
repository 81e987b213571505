import { open } from "node:fs/promises";
import { join } from "node:path";
import type { FrameView } from "./frame.ts";
import { scanFrames } from "./scan-frames.ts";

/** What the outbox knows about one segment file, kept in memory. */
export interface Segment {
  /** From the file name: no record in this file has a lower seq. */
  readonly baseSeq: number;
  readonly file: string;
  /** Bytes of valid, durable frames: readers never look past this. */
  bytes: number;
  records: number;
  lastSeq: number | undefined;
  minTs: number | undefined;
  maxTs: number | undefined;
}

const SEGMENT_NAME = /^seg-(\d{20})\.log$/;

export function segmentFileName(baseSeq: number): string {
  return `seg-${String(baseSeq).padStart(20, "0")}.log`;
}

/** The base seq of a segment file name, or undefined for any other file. */
export function parseSegmentFileName(name: string): number | undefined {
  const match = SEGMENT_NAME.exec(name);
  return match === null ? undefined : Number(match[1]);
}

export function emptySegment(dir: string, baseSeq: number): Segment {
  return {
    baseSeq,
    file: join(dir, segmentFileName(baseSeq)),
    bytes: 0,
    records: 0,
    lastSeq: undefined,
    minTs: undefined,
    maxTs: undefined,
  };
}

/** Adds a durably written frame to a segment's summary. */
export function addToSegment(segment: Segment, frame: Pick<FrameView, "seq" | "ts" | "end">): void {
  segment.bytes = frame.end;
  segment.records += 1;
  segment.lastSeq = frame.seq;
  segment.minTs = segment.minTs === undefined ? frame.ts : Math.min(segment.minTs, frame.ts);
  segment.maxTs = segment.maxTs === undefined ? frame.ts : Math.max(segment.maxTs, frame.ts);
}

/** What `loadSegment` found besides the summary. */
export interface SegmentLoad {
  readonly segment: Segment;
  /** File offsets of damaged regions that were skipped. */
  readonly corruptOffsets: readonly number[];
  /** Bytes cut off the end (a torn write), 0 when the file ended cleanly. */
  readonly truncatedBytes: number;
}

/**
 * Scans a whole segment file on open: summarises its valid frames, skips damaged ones and cuts
 * a torn tail off (ftruncate + fsync), so appends continue right after the last good frame.
 */
export async function loadSegment(dir: string, baseSeq: number): Promise<SegmentLoad> {
  const segment = emptySegment(dir, baseSeq);
  const handle = await open(segment.file, "r+");
  try {
    const buffer = await handle.readFile();
    const corruptOffsets: number[] = [];
    let truncatedBytes = 0;
    for (const item of scanFrames(buffer)) {
      if (item.kind === "record") addToSegment(segment, item.frame);
      else if (item.kind === "corrupt") corruptOffsets.push(item.offset);
      else {
        truncatedBytes = buffer.length - item.offset;
        await handle.truncate(item.offset);
        await handle.sync();
      }
    }
    segment.bytes = buffer.length - truncatedBytes;
    return { segment, corruptOffsets, truncatedBytes };
  } finally {
    await handle.close();
  }
}
