import { type EnvironmentName, environmentName, type NodeRef } from "@mtx-fleet/proto";
import { outboxRecordToEvent as toNatsEvent } from "../nats/outbox-record-to-event.ts";
import type { OutboxRecord } from "../outbox/index.ts";
import type { EventInit } from "./link-client-options.ts";

/**
 * The envelope of an outbox record on the gRPC session: the very same conversion as over NATS
 * (typed payloads where the shape fits, JSON otherwise), so the hub sees one event whichever
 * way it travelled.
 */
export function outboxRecordToEvent(record: OutboxRecord, node: NodeRef): EventInit {
  const environment: EnvironmentName = environmentName(node.environment) ?? "dev";
  const event = toNatsEvent(record, { id: node.nodeId, name: node.name, environment });
  // Keep the hub's own NodeRef (labels, the exact environment) rather than a rebuilt one.
  return { ...event, node };
}
