import { toBinary } from "@bufbuild/protobuf";
import type { Logger } from "@mtx-fleet/plugin-api";
import { MtxError } from "@mtx-fleet/plugin-api";
import { EventSchema, eventSubject } from "@mtx-fleet/proto";
import type { JetStreamClient, PubAck } from "@nats-io/jetstream";
import { JetStreamApiError } from "@nats-io/jetstream";
import { InvalidArgumentError, InvalidSubjectError } from "@nats-io/transport-node";
import type { OutboxConsumeOptions, OutboxRecord } from "../outbox/index.ts";
import { outboxRecordToEvent, type PublisherNode } from "./outbox-record-to-event.ts";
import { pause, type RetryDelayOptions, retryDelayMs } from "./retry-delay.ts";

/** The part of the agent's `Outbox` the publisher uses. */
export interface OutboxSource {
  consume(options: OutboxConsumeOptions): AsyncIterable<readonly OutboxRecord[]>;
  ack(seq: number, cursor: string): Promise<void>;
}

/** Running totals of the delivery loop, for status and metrics. */
export interface DeliveryCounters {
  /** Events the stream stored (PubAck without `duplicate`). */
  published: number;
  /** Events the stream already had (a replay inside the duplicate window). */
  duplicates: number;
  /** Events that can never be published (too large, unusable kind), skipped with an error log. */
  dropped: number;
  /** The highest seq acknowledged to the outbox cursor by this publisher. */
  deliveredSeq: number;
}

export interface DeliverOutboxOptions {
  readonly js: JetStreamClient;
  readonly outbox: OutboxSource;
  readonly node: PublisherNode;
  readonly cursor: string;
  readonly batchSize: number;
  readonly pubAckTimeoutMs: number;
  readonly retry: RetryDelayOptions;
  readonly logger: Logger;
  readonly signal: AbortSignal;
  /** Resolves at the next reconnect, so a retry does not sleep through it. */
  readonly reconnected: () => Promise<void>;
  readonly counters: DeliveryCounters;
}

type Outcome =
  | { readonly kind: "stored" }
  | { readonly kind: "duplicate" }
  | { readonly kind: "failed"; readonly error: unknown };

/**
 * Moves outbox records to JetStream in seq order until `signal` aborts or the outbox closes:
 * each record is published with `msgID` = event id, and the cursor is acked only up to the
 * last record whose PubAck arrived. A batch is pipelined (one socket write, so a prefix of it
 * is stored or nothing); after a failure the batch resumes at the first unconfirmed record,
 * so stream order is outbox order and a re-sent record is a duplicate the stream drops.
 */
export async function deliverOutboxEvents(options: DeliverOutboxOptions): Promise<void> {
  const { outbox, cursor, batchSize, signal, logger } = options;
  let failures = 0;
  while (!signal.aborted) {
    try {
      for await (const batch of outbox.consume({ cursor, limit: batchSize, signal })) {
        await publishBatch(batch, options);
        failures = 0;
      }
      if (!signal.aborted) logger.info({}, "outbox closed: event delivery stopped");
      return;
    } catch (error) {
      if (signal.aborted) return;
      failures += 1;
      logger.warn({ err: error, failures }, "event delivery failed; retrying");
      await pause(retryDelayMs(failures, options.retry), signal);
    }
  }
}

async function publishBatch(batch: readonly OutboxRecord[], options: DeliverOutboxOptions): Promise<void> {
  const { outbox, cursor, counters, logger, signal } = options;
  let next = 0;
  let failures = 0;
  while (next < batch.length && !signal.aborted) {
    const outcomes = await Promise.all(batch.slice(next).map((record) => publishRecord(record, options)));
    let failure: unknown;
    let advanced = 0;
    for (const outcome of outcomes) {
      if (outcome.kind === "failed" && !isPermanent(outcome.error)) {
        failure = outcome.error;
        break;
      }
      count(outcome, batch[next + advanced]!, options);
      advanced += 1;
    }
    next += advanced;
    if (next > 0) await ackThrough(batch[next - 1]!.seq, outbox, cursor, counters);
    if (failure === undefined) return;
    failures += 1;
    // One warning per outage; the retries after it are debug noise.
    const fields = { err: failure, failures, pending: batch.length - next };
    const message = "events not confirmed by NATS; they stay in the outbox and are retried";
    if (failures === 1) logger.warn(fields, message);
    else logger.debug(fields, message);
    await pause(retryDelayMs(failures, options.retry), signal, options.reconnected());
  }
}

function count(outcome: Outcome, record: OutboxRecord, { counters, logger }: DeliverOutboxOptions): void {
  if (outcome.kind === "stored") counters.published += 1;
  else if (outcome.kind === "duplicate") counters.duplicates += 1;
  else {
    counters.dropped += 1;
    logger.error(
      { err: outcome.error, eventId: record.id, kind: record.kind, seq: record.seq },
      "event can never be published to NATS; skipped",
    );
  }
}

async function publishRecord(record: OutboxRecord, options: DeliverOutboxOptions): Promise<Outcome> {
  try {
    const { node } = options;
    const subject = eventSubject({ environment: node.environment, nodeId: node.id }, record.kind);
    const data = toBinary(EventSchema, outboxRecordToEvent(record, node));
    const ack: PubAck = await options.js.publish(subject, data, {
      msgID: record.id,
      timeout: options.pubAckTimeoutMs,
    });
    return { kind: ack.duplicate ? "duplicate" : "stored" };
  } catch (error) {
    return { kind: "failed", error };
  }
}

async function ackThrough(
  seq: number,
  outbox: OutboxSource,
  cursor: string,
  counters: DeliveryCounters,
): Promise<void> {
  if (seq <= counters.deliveredSeq) return;
  await outbox.ack(seq, cursor);
  counters.deliveredSeq = seq;
}

/** Errors that the same bytes would hit again: retrying would block the outbox for ever. */
function isPermanent(error: unknown): boolean {
  if (MtxError.is(error, "MTX_INVALID_INPUT")) return true; // kind unusable in a subject
  if (error instanceof InvalidArgumentError) return true; // over the server's max_payload
  if (error instanceof InvalidSubjectError) return true;
  // 400 from the stream: e.g. larger than its max_msg_size. 503 (no stream yet) is transient.
  return error instanceof JetStreamApiError && error.status === 400;
}
