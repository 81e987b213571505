/** An event a plugin records durably; it reaches the hub at least once, deduplicated by `id`. */
export interface JournalEvent<P = unknown> {
  /** Dotted name, e.g. `probe.verdict`; it becomes the NATS subject suffix at the hub. */
  readonly kind: string;
  /** Any JSON value (at most about 1 MiB once serialised). */
  readonly payload: P;
  /** The MediaMTX path the event is about, so the hub attaches it to the stream. */
  readonly path?: string;
  /** A stable id when retries must deduplicate (e.g. a hook's own id); a UUIDv7 otherwise. */
  readonly id?: string;
  /** When it happened at its source, if earlier than now. */
  readonly occurredAt?: Date | number;
  /** The request or hub command that caused it, for end-to-end correlation. */
  readonly requestId?: string;
}

/** What `record` resolves with: the event as stored. */
export interface JournalRecord {
  readonly id: string;
  /** Strictly increasing per node, across restarts. */
  readonly seq: number;
}

/**
 * The agent's durable event log (its outbox), as a plugin writes to it. `record` resolves only
 * once the event is on disk (fdatasync'd): after that it survives a crash and is delivered to
 * the hub when there is one, however long the hub is away. It rejects with an MtxError when the
 * event cannot be stored (invalid, disk full); nothing is half-written.
 */
export interface EventJournal {
  record<P>(event: JournalEvent<P>): Promise<JournalRecord>;
}
