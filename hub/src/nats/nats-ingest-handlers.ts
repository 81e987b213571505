import type { Event, Telemetry } from "@mtx-fleet/proto";

/**
 * Where the hub's NATS ingest hands what it received. The node id comes from the subject
 * (which NATS permissions tie to an agent) and matches `event.node.nodeId`.
 *
 * `onEvents` gets events at least once: a replica that dies before acking, a nak after a
 * failure, or an agent replay older than the stream's duplicate window delivers an event
 * again, so the implementation must deduplicate by `event.id` (e.g. an upsert keyed by id).
 * Events of one node arrive in outbox order from one replica; across replicas, and after a
 * redelivery, use `event.seq` to order them. Resolve only once the events are stored: the
 * messages are acked then, and a rejection redelivers them later.
 *
 * `onTelemetry` gets the newest telemetry of a node; older ones still queued when a newer one
 * arrives are skipped (latest wins), and a rejection is logged, never retried.
 */
export interface NatsIngestHandlers {
  onEvents(nodeId: string, events: readonly Event[]): Promise<void>;
  onTelemetry(nodeId: string, telemetry: Telemetry): Promise<void>;
}

/** Running totals of one ingest, for status and metrics. */
export interface IngestCounters {
  /** Events whose handler resolved (and that were acked). */
  eventsHandled: number;
  /** Handler failures answered with a delayed redelivery. */
  eventsRetried: number;
  /** Messages terminated: undecodable, foreign, or failing `maxDeliveries` times. */
  eventsTerminated: number;
  telemetryHandled: number;
  /** Telemetry replaced by a newer one of the same node before the handler got to it. */
  telemetrySuperseded: number;
  /** Telemetry that did not decode or claimed another node than its subject. */
  telemetryRejected: number;
}
