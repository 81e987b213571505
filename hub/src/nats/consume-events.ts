import { fromBinary } from "@bufbuild/protobuf";
import type { Logger } from "@mtx-fleet/plugin-api";
import { type Event, EventSchema, MTX_EVENTS_STREAM, parseSubject } from "@mtx-fleet/proto";
import type { ConsumerMessages, JetStreamClient, JsMsg } from "@nats-io/jetstream";
import type { IngestCounters, NatsIngestHandlers } from "./nats-ingest-handlers.ts";

export interface ConsumeEventsOptions {
  readonly js: JetStreamClient;
  readonly durableName: string;
  readonly handlers: NatsIngestHandlers;
  /** Messages buffered from the server and handed to `onEvents` together (grouped by node). */
  readonly batchSize: number;
  /** The delivery at which a message whose handler still fails is terminated. */
  readonly maxDeliveries: number;
  /** First redelivery delay after a handler failure; doubles per delivery, at most a minute. */
  readonly nakDelayMs: number;
  readonly logger: Logger;
  readonly signal: AbortSignal;
  readonly counters: IngestCounters;
}

const MAX_NAK_DELAY_MS = 60_000;
const CRASH_LOOP_FACTOR = 4;

interface Decoded {
  readonly msg: JsMsg;
  readonly nodeId: string;
  readonly event: Event;
}

/**
 * Pulls from the shared durable consumer until `signal` aborts or the consumer goes away
 * (then it returns, and the caller ensures it again). Each message is acked only after its
 * handler resolved; a failing handler gets a nak with a growing delay, and after
 * `maxDeliveries` the message is terminated with an error log. On abort, messages already
 * buffered here are nak'ed at once so another replica takes them without waiting `ack_wait`.
 */
export async function consumeEvents(options: ConsumeEventsOptions): Promise<void> {
  const { js, durableName, batchSize, signal, logger } = options;
  const consumer = await js.consumers.get(MTX_EVENTS_STREAM, durableName);
  const messages = await consumer.consume({ max_messages: batchSize });
  const close = (): void => void messages.close();
  signal.addEventListener("abort", close, { once: true });
  if (signal.aborted) close(); // aborted while the consume was being set up
  void watchConsumer(messages, logger);
  const queue = new BatchQueue<JsMsg>(batchSize);
  // The reader moves messages into the queue (pausing while it is full); the loop below takes
  // whatever is there as one batch, so a batch never waits for messages that are not coming.
  const reading = (async () => {
    try {
      for await (const msg of messages) await queue.push(msg);
    } finally {
      queue.end();
    }
  })();
  try {
    for (let batch = await queue.take(); batch.length > 0; batch = await queue.take()) {
      if (signal.aborted) for (const msg of batch) msg.nak();
      else await handleBatch(batch, options);
    }
    await reading;
  } finally {
    signal.removeEventListener("abort", close);
    close();
  }
}

/** A FIFO between one producer and one consumer: `push` waits while full, `take` while empty. */
class BatchQueue<T> {
  readonly #items: T[] = [];
  readonly #capacity: number;
  #ended = false;
  #changed = Promise.withResolvers<void>();

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  async push(item: T): Promise<void> {
    while (this.#items.length >= this.#capacity) await this.#next();
    this.#items.push(item);
    this.#signal();
  }

  /** Everything queued (up to the capacity); empty only once ended and drained. */
  async take(): Promise<T[]> {
    while (this.#items.length === 0 && !this.#ended) await this.#next();
    const batch = this.#items.splice(0, this.#capacity);
    this.#signal();
    return batch;
  }

  end(): void {
    this.#ended = true;
    this.#signal();
  }

  #next(): Promise<void> {
    return this.#changed.promise;
  }

  #signal(): void {
    this.#changed.resolve();
    this.#changed = Promise.withResolvers<void>();
  }
}

/** Ends the consume when its consumer or stream vanished, so the caller recreates them. */
async function watchConsumer(messages: ConsumerMessages, logger: Logger): Promise<void> {
  for await (const status of messages.status()) {
    if (
      status.type === "consumer_not_found" ||
      status.type === "stream_not_found" ||
      status.type === "consumer_deleted"
    ) {
      logger.warn({ status: status.type }, "events consumer lost; recreating it");
      await messages.close();
      return;
    }
  }
}

async function handleBatch(batch: readonly JsMsg[], options: ConsumeEventsOptions): Promise<void> {
  const groups = new Map<string, Decoded[]>();
  for (const msg of batch) {
    const decoded = decode(msg, options);
    if (decoded === undefined) continue;
    const group = groups.get(decoded.nodeId);
    if (group === undefined) groups.set(decoded.nodeId, [decoded]);
    else group.push(decoded);
  }
  for (const [nodeId, group] of groups) {
    if (await deliver(nodeId, group, options)) continue;
    // Retry one by one, so a single poison event does not take its batch-mates down with it.
    if (group.length > 1) for (const item of group) await deliver(nodeId, [item], options);
  }
}

/** Calls `onEvents`; acks on success; on failure with one item, naks or terminates it. */
async function deliver(
  nodeId: string,
  group: readonly Decoded[],
  options: ConsumeEventsOptions,
): Promise<boolean> {
  const { counters, logger } = options;
  try {
    await options.handlers.onEvents(
      nodeId,
      group.map((item) => item.event),
    );
  } catch (error) {
    if (group.length === 1) fail(group[0]!, error, options);
    else
      logger.debug({ err: error, nodeId, events: group.length }, "event batch failed; retrying one by one");
    return false;
  }
  for (const item of group) item.msg.ack();
  counters.eventsHandled += group.length;
  return true;
}

function fail({ msg, event, nodeId }: Decoded, error: unknown, options: ConsumeEventsOptions): void {
  const deliveries = msg.info.deliveryCount;
  const fields = { err: error, nodeId, eventId: event.id, kind: event.kind, deliveries };
  if (deliveries >= options.maxDeliveries) {
    options.counters.eventsTerminated += 1;
    options.logger.error(fields, "event handler kept failing; event terminated (not redelivered)");
    msg.term(`handler failed ${deliveries} times`);
    return;
  }
  options.counters.eventsRetried += 1;
  options.logger.warn(fields, "event handler failed; redelivering later");
  msg.nak(Math.min(options.nakDelayMs * 2 ** (deliveries - 1), MAX_NAK_DELAY_MS));
}

/** The event of a message, or undefined after terminating a message that can never be handled. */
function decode(msg: JsMsg, options: ConsumeEventsOptions): Decoded | undefined {
  const { counters, logger, maxDeliveries } = options;
  const reject = (reason: string, err?: unknown): undefined => {
    counters.eventsTerminated += 1;
    logger.error({ err, subject: msg.subject, streamSeq: msg.seq, reason }, "unusable event terminated");
    msg.term(reason);
    return undefined;
  };
  // Deliveries without a handler verdict (replica crashes, restarts releasing their buffer)
  // also count; only a crash loop gets this far, as a failing handler is stopped by `fail`.
  if (msg.info.deliveryCount > maxDeliveries * CRASH_LOOP_FACTOR) {
    return reject(`delivered ${msg.info.deliveryCount} times`);
  }
  const subject = parseSubject(msg.subject);
  if (subject?.type !== "event") return reject("not an mtx.v1 event subject");
  let event: Event;
  try {
    event = fromBinary(EventSchema, msg.data);
  } catch (error) {
    return reject("not an mtx.v1.Event", error);
  }
  if (event.id === "") return reject("event without id");
  // The subject is what NATS permissions bind to an agent; the body must not claim another node.
  if (event.node?.nodeId !== subject.nodeId) return reject("event node differs from its subject");
  if (event.kind !== subject.kind) return reject("event kind differs from its subject");
  return { msg, nodeId: subject.nodeId, event };
}
