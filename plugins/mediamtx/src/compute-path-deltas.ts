import type { MtxPath } from "./model.ts";

/** How a path's counters moved between two consecutive good snapshots. */
export interface MtxPathDelta {
  readonly name: string;
  /**
   * True when the stream is not the one seen last time: the path was absent from the
   * previous snapshot, or its `availableTime` changed (stream restarted or went away).
   * Its counters then count from 0.
   */
  readonly newStream: boolean;
  /** Time between the two snapshots. */
  readonly intervalMs: number;
  readonly inboundBytes: number;
  readonly outboundBytes: number;
  /** null when the node does not report frames in error (before v1.17). */
  readonly inboundFramesInError: number | null;
  readonly inboundBytesPerSecond: number;
  readonly outboundBytesPerSecond: number;
}

/**
 * Per-path deltas from `previous` (the last good snapshot's paths) to `current`. Counters
 * that went down were reset (stream restarted, MediaMTX restarted): the delta is then the new
 * value, never negative.
 */
export function computePathDeltas(
  previous: ReadonlyMap<string, MtxPath>,
  current: readonly MtxPath[],
  intervalMs: number,
): Map<string, MtxPathDelta> {
  const seconds = Math.max(intervalMs, 1) / 1000;
  const deltas = new Map<string, MtxPathDelta>();
  for (const path of current) {
    const old = previous.get(path.name);
    const newStream = old === undefined || old.availableTime !== path.availableTime;
    const base = newStream ? undefined : old;
    const inboundBytes = counterDelta(path.inboundBytes, base?.inboundBytes);
    const outboundBytes = counterDelta(path.outboundBytes, base?.outboundBytes);
    deltas.set(
      path.name,
      Object.freeze({
        name: path.name,
        newStream,
        intervalMs,
        inboundBytes,
        outboundBytes,
        inboundFramesInError:
          path.inboundFramesInError === null
            ? null
            : counterDelta(path.inboundFramesInError, base?.inboundFramesInError ?? undefined),
        inboundBytesPerSecond: inboundBytes / seconds,
        outboundBytesPerSecond: outboundBytes / seconds,
      }),
    );
  }
  return deltas;
}

function counterDelta(now: number, before: number | undefined): number {
  if (before === undefined || now < before) return now;
  return now - before;
}
