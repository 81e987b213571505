// The hub's NATS side: the shared durable events consumer and every node's telemetry.

export {
  connectHubNats,
  DEFAULT_HUB_NATS_CONNECT_TIMEOUT_MS,
  type HubNatsOptions,
} from "./connect-hub-nats.ts";
export {
  DEFAULT_ACK_WAIT_MS,
  DEFAULT_DUPLICATE_WINDOW_MS,
  DEFAULT_EVENTS_MAX_AGE_MS,
  DEFAULT_EVENTS_MAX_BYTES,
  DEFAULT_EVENTS_MAX_MSG_BYTES,
  DEFAULT_MAX_ACK_PENDING,
  type EventsStreamOptions,
} from "./ensure-events-stream.ts";
export type { IngestCounters, NatsIngestHandlers } from "./nats-ingest-handlers.ts";
export {
  DEFAULT_INGEST_BATCH_SIZE,
  DEFAULT_MAX_DELIVERIES,
  DEFAULT_NAK_DELAY_MS,
  type NatsIngest,
  type NatsIngestOptions,
  type NatsIngestState,
  type NatsIngestStatus,
  startNatsIngest,
} from "./start-nats-ingest.ts";
