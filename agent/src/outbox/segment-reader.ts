import type { MinimalLogger } from "../store/index.ts";
import type { FrameView } from "./frame.ts";
import type { OutboxReadOptions, OutboxRecentOptions, OutboxRecord } from "./outbox-types.ts";
import { readFrames } from "./read-frames.ts";
import type { Segment } from "./segment.ts";

/** Where a damaged region starts. */
export interface CorruptPlace {
  readonly file: string;
  readonly offset: number;
}

export const DEFAULT_OUTBOX_READ_LIMIT = 100;
export const DEFAULT_OUTBOX_READ_MAX_BYTES = 1024 * 1024;
export const DEFAULT_OUTBOX_RECENT_LIMIT = 50;
const MAX_READ_HINTS = 16;

/**
 * Reads records out of segment files for consumers and listings, counting damaged records it
 * has to skip (each place once). Reads only up to each segment's durable size, so a consumer
 * never sees an event whose append has not been acknowledged.
 */
export class SegmentReader {
  readonly #logger: MinimalLogger;
  /** `file:offset` of every damaged region seen, so re-reading one does not count it again. */
  readonly #corrupt: Set<string>;
  /** Where the batch ending at a seq stopped, so the next batch does not rescan the segment. */
  readonly #readHints = new Map<number, { file: string; offset: number }>();

  /** `knownCorrupt`: the damaged places the scan on open found (and logged). */
  constructor(logger: MinimalLogger, knownCorrupt: readonly CorruptPlace[]) {
    this.#logger = logger;
    this.#corrupt = new Set(knownCorrupt.map(({ file, offset }) => `${file}:${offset}`));
  }

  /** Damaged regions skipped, at open and since. */
  get corruptSkipped(): number {
    return this.#corrupt.size;
  }

  async read(segments: readonly Segment[], options: OutboxReadOptions): Promise<OutboxRecord[]> {
    const { afterSeq, limit = DEFAULT_OUTBOX_READ_LIMIT, maxBytes = DEFAULT_OUTBOX_READ_MAX_BYTES } = options;
    const records: OutboxRecord[] = [];
    let bytes = 0;
    let last: { seq: number; file: string; end: number } | undefined;
    for (const segment of segments) {
      if (segment.lastSeq === undefined || segment.lastSeq <= afterSeq) continue;
      const hint = this.#readHints.get(afterSeq);
      const from = hint?.file === segment.file ? hint.offset : 0;
      await readFrames(segment.file, from, segment.bytes, {
        onFrame: (frame) => {
          if (frame.seq <= afterSeq) return true;
          const record = this.#decode(segment, frame);
          if (record !== undefined) records.push(record);
          bytes += frame.end - frame.offset;
          last = { seq: frame.seq, file: segment.file, end: frame.end };
          return records.length < limit && bytes < maxBytes;
        },
        onCorrupt: (offset) => this.#noteCorrupt(segment.file, offset),
      });
      if (records.length >= limit || bytes >= maxBytes) break;
    }
    if (last !== undefined) this.#rememberReadHint(last.seq, last.file, last.end);
    return records;
  }

  async recent(segments: readonly Segment[], options: OutboxRecentOptions): Promise<OutboxRecord[]> {
    const { limit = DEFAULT_OUTBOX_RECENT_LIMIT, beforeSeq = Number.POSITIVE_INFINITY } = options;
    const newestFirst: OutboxRecord[] = [];
    for (const segment of [...segments].reverse()) {
      if (newestFirst.length >= limit) break;
      if (segment.records === 0 || segment.baseSeq >= beforeSeq) continue;
      const need = limit - newestFirst.length;
      const tail: FrameView[] = [];
      await readFrames(segment.file, 0, segment.bytes, {
        onFrame: (frame) => {
          if (frame.seq >= beforeSeq) return false;
          tail.push(frame);
          if (tail.length > need) tail.shift();
          return true;
        },
        onCorrupt: (offset) => this.#noteCorrupt(segment.file, offset),
      });
      for (const frame of tail.reverse()) {
        const record = this.#decode(segment, frame);
        if (record !== undefined) newestFirst.push(record);
      }
    }
    return newestFirst;
  }

  #decode(segment: Segment, frame: FrameView): OutboxRecord | undefined {
    try {
      const body = JSON.parse(frame.body.toString("utf8")) as Record<string, unknown>;
      if (typeof body.id !== "string" || typeof body.kind !== "string") throw new Error("not an event");
      return {
        id: body.id,
        seq: frame.seq,
        ts: frame.ts,
        kind: body.kind,
        payload: body.payload,
        ...(typeof body.occurredAt === "number" ? { occurredAt: body.occurredAt } : {}),
        ...(typeof body.path === "string" ? { path: body.path } : {}),
        ...(typeof body.requestId === "string" ? { requestId: body.requestId } : {}),
      };
    } catch {
      // A valid CRC over an invalid body means a bug, not bit rot; skip it the same way.
      this.#noteCorrupt(segment.file, frame.offset);
      return undefined;
    }
  }

  #noteCorrupt(file: string, offset: number): void {
    const key = `${file}:${offset}`;
    if (this.#corrupt.has(key)) return;
    this.#corrupt.add(key);
    this.#logger.error({ file, offset }, "outbox skipped a damaged record");
  }

  #rememberReadHint(seq: number, file: string, offset: number): void {
    this.#readHints.set(seq, { file, offset });
    if (this.#readHints.size > MAX_READ_HINTS) this.#readHints.delete(this.#readHints.keys().next().value!);
  }
}

/** How many records of `segment` have a seq above `afterSeq` (those a drop loses). */
export async function countAfter(segment: Segment, afterSeq: number): Promise<number> {
  if (segment.lastSeq === undefined || segment.lastSeq <= afterSeq) return 0;
  if (afterSeq < segment.baseSeq) return segment.records;
  let count = 0;
  await readFrames(segment.file, 0, segment.bytes, {
    onFrame: (frame) => {
      if (frame.seq > afterSeq) count += 1;
      return true;
    },
    onCorrupt: () => {},
  });
  return count;
}
