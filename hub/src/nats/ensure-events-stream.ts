import type { Logger } from "@mtx-fleet/plugin-api";
import { MTX_EVENTS_STREAM, MTX_EVENTS_SUBJECT_FILTER } from "@mtx-fleet/proto";
import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  JetStreamApiError,
  type JetStreamManager,
  RetentionPolicy,
  StorageType,
} from "@nats-io/jetstream";
import { nanos } from "@nats-io/transport-node";

/**
 * How long the stream remembers message ids: an agent re-sending an event whose PubAck it
 * lost (the usual reconnect case, seconds) is dropped by the server. Older replays reach the
 * hub, which deduplicates by event id; a longer window costs server memory per message.
 */
export const DEFAULT_DUPLICATE_WINDOW_MS = 2 * 60_000;
/** Events stay for late or new consumers (audit, a fresh replica set) up to these bounds. */
export const DEFAULT_EVENTS_MAX_AGE_MS = 7 * 24 * 3_600_000;
export const DEFAULT_EVENTS_MAX_BYTES = 1024 ** 3;
/** Equal to the agent outbox's largest record; larger would be refused by the agent anyway. */
export const DEFAULT_EVENTS_MAX_MSG_BYTES = 1024 ** 2;
/** Redelivery after this long without an ack (a replica died mid-batch). */
export const DEFAULT_ACK_WAIT_MS = 30_000;
export const DEFAULT_MAX_ACK_PENDING = 1_000;

/** Limits of the `MTX_EVENTS` stream. */
export interface EventsStreamOptions {
  readonly duplicateWindowMs?: number;
  readonly maxAgeMs?: number;
  readonly maxBytes?: number;
  readonly maxMsgBytes?: number;
  /** JetStream replicas of the stream (1 on a single server, 3 on a cluster). */
  readonly replicas?: number;
}

/** Settings of the durable consumer the hub replicas share. */
export interface HubConsumerOptions {
  readonly durableName: string;
  readonly ackWaitMs?: number;
  readonly maxAckPending?: number;
}

// JetStream answers these when a stream or consumer exists with another configuration.
const STREAM_NAME_IN_USE = 10_058;
const CONSUMER_EXISTS = 10_148;

/**
 * Creates `MTX_EVENTS` (file storage, limits retention, oldest discarded first) or updates an
 * existing one to these limits. Every replica calls it on start; identical calls are no-ops.
 */
export async function ensureEventsStream(
  jsm: JetStreamManager,
  options: EventsStreamOptions,
  logger: Logger,
): Promise<void> {
  const limits = {
    subjects: [MTX_EVENTS_SUBJECT_FILTER],
    duplicate_window: nanos(options.duplicateWindowMs ?? DEFAULT_DUPLICATE_WINDOW_MS),
    max_age: nanos(options.maxAgeMs ?? DEFAULT_EVENTS_MAX_AGE_MS),
    max_bytes: options.maxBytes ?? DEFAULT_EVENTS_MAX_BYTES,
    max_msg_size: options.maxMsgBytes ?? DEFAULT_EVENTS_MAX_MSG_BYTES,
    discard: DiscardPolicy.Old,
    num_replicas: options.replicas ?? 1,
  };
  try {
    await jsm.streams.add({
      name: MTX_EVENTS_STREAM,
      storage: StorageType.File,
      retention: RetentionPolicy.Limits,
      ...limits,
    });
  } catch (error) {
    if (!(error instanceof JetStreamApiError && error.code === STREAM_NAME_IN_USE)) throw error;
    await jsm.streams.update(MTX_EVENTS_STREAM, limits);
    logger.info({ stream: MTX_EVENTS_STREAM }, "events stream limits updated");
  }
}

/**
 * Creates the durable pull consumer (explicit acks, from the first event, no server-side
 * delivery limit: the ingest terminates poison messages itself, with a log) or updates the
 * changeable settings of an existing one. Replicas using the same name share it: each event
 * goes to one of them.
 */
export async function ensureHubConsumer(
  jsm: JetStreamManager,
  options: HubConsumerOptions,
  logger: Logger,
): Promise<void> {
  const changeable = {
    ack_wait: nanos(options.ackWaitMs ?? DEFAULT_ACK_WAIT_MS),
    max_ack_pending: options.maxAckPending ?? DEFAULT_MAX_ACK_PENDING,
    max_deliver: -1,
  };
  try {
    await jsm.consumers.add(MTX_EVENTS_STREAM, {
      durable_name: options.durableName,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subject: MTX_EVENTS_SUBJECT_FILTER,
      ...changeable,
    });
  } catch (error) {
    if (!(error instanceof JetStreamApiError && error.code === CONSUMER_EXISTS)) throw error;
    await jsm.consumers.update(MTX_EVENTS_STREAM, options.durableName, changeable);
    logger.info({ consumer: options.durableName }, "events consumer settings updated");
  }
}
