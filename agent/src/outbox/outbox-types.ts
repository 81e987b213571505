import type { Clock } from "@mtx-fleet/plugin-api";

/** The outbox only needs wall-clock time (epoch ms); tests inject a clock to move it. */
export type OutboxClock = Pick<Clock, "now">;

/** What a producer hands to `Outbox.append`. */
export interface OutboxEvent<P = unknown> {
  /** The event type, e.g. `hook.ready` or `probe.verdict`. */
  readonly kind: string;
  /** Any JSON-serialisable value. */
  readonly payload: P;
  /** A stable id (e.g. from the hook wrapper, so its retries deduplicate); a UUIDv7 if absent. */
  readonly id?: string;
  /** When the event happened at its source, if that differs from when it was appended. */
  readonly occurredAt?: Date | number;
  /** The MediaMTX path the event is about (becomes the envelope's `stream`). */
  readonly path?: string;
  /** The request or hub command that caused it (becomes the envelope's `request_id`). */
  readonly requestId?: string;
}

/** A stored event, as `append` resolves with and readers get. */
export interface OutboxRecord<P = unknown> {
  readonly id: string;
  /** Strictly increasing across restarts; gaps only where an append failed or records were lost. */
  readonly seq: number;
  /** When it was appended, epoch ms (the outbox clock). */
  readonly ts: number;
  readonly kind: string;
  readonly payload: P;
  /** Epoch ms, when the producer gave one. */
  readonly occurredAt?: number;
  readonly path?: string;
  readonly requestId?: string;
}

/** Figures for the local API and `/metrics`. */
export interface OutboxStats {
  /** Records on disk (delivered ones stay until their segment is deleted). */
  readonly records: number;
  readonly bytes: number;
  readonly segments: number;
  /** `ts` of the oldest record on disk, or null when there is none. */
  readonly oldestTs: number | null;
  /** The newest stored seq (0 before the first append). */
  readonly newestSeq: number;
  /** The lowest persisted cursor: everything up to it was delivered to every consumer. */
  readonly deliveredSeq: number;
  readonly cursors: Readonly<Record<string, number>>;
  /** Undelivered records deleted by the size/age bounds, ever (persistent). */
  readonly dropped: number;
  /** Damaged regions skipped since this process opened the outbox (bit rot; should stay 0). */
  readonly corruptSkipped: number;
}

/** Options of `Outbox.read`. */
export interface OutboxReadOptions {
  /** Return records with a seq above this one (a cursor, or the last seq of the previous batch). */
  readonly afterSeq: number;
  /** At most this many records. */
  readonly limit?: number;
  /** Stop once the batch's frames reach this many bytes (at least one record is returned). */
  readonly maxBytes?: number;
}

/** Options of `Outbox.consume`. */
export interface OutboxConsumeOptions {
  /** The cursor to start from (its persisted seq); `ack` it as batches are confirmed. */
  readonly cursor?: string;
  readonly limit?: number;
  readonly maxBytes?: number;
  /** Ends the iteration (without an error). */
  readonly signal?: AbortSignal;
}

/** Options of `Outbox.recent`. */
export interface OutboxRecentOptions {
  readonly limit?: number;
  /** Only records below this seq: pass the last seq of the previous page. */
  readonly beforeSeq?: number;
}
