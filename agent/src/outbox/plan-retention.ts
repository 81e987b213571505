import type { Segment } from "./segment.ts";

/** The bounds and positions `planRetention` decides with. */
export interface RetentionInput {
  /** Every record up to this seq was delivered to every cursor (or dropped before). */
  readonly passedSeq: number;
  readonly maxBytes: number;
  /** Bytes about to be appended, so the bound holds after that write too. */
  readonly incomingBytes: number;
  /** Segments whose newest record is older than this (epoch ms) are over the age bound. */
  readonly oldestAllowedTs: number;
}

/** How many of the oldest segments go, and which of them still held undelivered records. */
export interface RetentionPlan {
  readonly removeCount: number;
  /** The removed segments with undelivered records: their loss is counted as dropped. */
  readonly dropping: readonly Segment[];
}

/**
 * Walks from the oldest segment and removes it if fully delivered, or if the outbox is over
 * `maxBytes` or the segment is over the age bound. Never the active (last) segment.
 */
export function planRetention(segments: readonly Segment[], input: RetentionInput): RetentionPlan {
  let total = segments.reduce((sum, segment) => sum + segment.bytes, input.incomingBytes);
  const dropping: Segment[] = [];
  let removeCount = 0;
  for (const segment of segments.slice(0, -1)) {
    const delivered = segment.lastSeq === undefined || segment.lastSeq <= input.passedSeq;
    const tooOld = segment.maxTs !== undefined && segment.maxTs < input.oldestAllowedTs;
    if (!delivered && !tooOld && total <= input.maxBytes) break;
    if (!delivered) dropping.push(segment);
    removeCount += 1;
    total -= segment.bytes;
  }
  return { removeCount, dropping };
}
