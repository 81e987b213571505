// The agent's NATS side: outbox events to JetStream, latest-wins telemetry on core NATS.
export {
  createNatsPublisher,
  DEFAULT_EVENT_BATCH_SIZE,
  DEFAULT_PUB_ACK_TIMEOUT_MS,
  DEFAULT_TELEMETRY_INTERVAL_MS,
  type NatsLinkState,
  type NatsPublisher,
  type NatsPublisherOptions,
  type NatsPublisherStatus,
} from "./create-nats-publisher.ts";
export type { DeliveryCounters, OutboxSource } from "./deliver-outbox-events.ts";
export { outboxRecordToEvent, type PublisherNode } from "./outbox-record-to-event.ts";
