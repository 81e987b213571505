import { fromBinary } from "@bufbuild/protobuf";
import type { Logger } from "@mtx-fleet/plugin-api";
import { parseSubject, TELEMETRY_SUBJECT_FILTER, type Telemetry, TelemetrySchema } from "@mtx-fleet/proto";
import type { Msg, NatsConnection } from "@nats-io/transport-node";
import { HUB_REPLICA_HEADER } from "../replicas/hub-subjects.ts";
import type { IngestCounters, NatsIngestHandlers } from "./nats-ingest-handlers.ts";

/** A live telemetry subscription; `stop()` unsubscribes and waits for the handler in flight. */
export interface TelemetrySubscription {
  stop(): Promise<void>;
}

/**
 * Subscribes this replica to every node's telemetry with a plain (not queue) subscription:
 * telemetry is latest-wins state that each replica keeps, so each one needs every message.
 * NATS keeps one publisher's order, so the newest received is the newest sent. Messages wait
 * in a map keyed by node, so a slow handler sees the newest state of each node and the
 * backlog is bounded by the fleet size, never by the message rate. With `replicaId`, telemetry
 * this replica relayed from its own link sessions (`Mtx-Hub-Replica` header) is skipped.
 */
export function subscribeTelemetry(
  nc: NatsConnection,
  handlers: NatsIngestHandlers,
  counters: IngestCounters,
  logger: Logger,
  { replicaId }: { readonly replicaId?: string | undefined } = {},
): TelemetrySubscription {
  const pending = new Map<string, Telemetry>();
  let draining: Promise<void> | undefined;

  const drain = async (): Promise<void> => {
    for (let next = first(pending); next !== undefined; next = first(pending)) {
      const [nodeId, telemetry] = next;
      pending.delete(nodeId);
      try {
        await handlers.onTelemetry(nodeId, telemetry);
        counters.telemetryHandled += 1;
      } catch (error) {
        logger.warn({ err: error, nodeId }, "telemetry handler failed; waiting for the next telemetry");
      }
    }
    draining = undefined;
  };

  const receive = (msg: Msg): void => {
    // This replica relayed it (telemetry from one of its link sessions): already ingested.
    if (replicaId !== undefined && msg.headers?.get(HUB_REPLICA_HEADER) === replicaId) return;
    const decoded = decode(msg);
    if (decoded === undefined) {
      counters.telemetryRejected += 1;
      logger.warn({ subject: msg.subject }, "unusable telemetry ignored");
      return;
    }
    if (pending.has(decoded.nodeId)) counters.telemetrySuperseded += 1;
    // Delete first so the node moves to the back: nodes take turns under load.
    pending.delete(decoded.nodeId);
    pending.set(decoded.nodeId, decoded.telemetry);
    draining ??= drain();
  };

  const subscription = nc.subscribe(TELEMETRY_SUBJECT_FILTER, {
    callback: (error, msg) => {
      if (error === null) receive(msg);
      else logger.warn({ err: error }, "telemetry subscription error");
    },
  });

  return {
    stop: async () => {
      subscription.unsubscribe();
      pending.clear();
      await draining;
    },
  };
}

function decode(msg: Msg): { nodeId: string; telemetry: Telemetry } | undefined {
  const subject = parseSubject(msg.subject);
  if (subject?.type !== "telemetry") return undefined;
  try {
    const telemetry = fromBinary(TelemetrySchema, msg.data);
    return telemetry.node?.nodeId === subject.nodeId ? { nodeId: subject.nodeId, telemetry } : undefined;
  } catch {
    return undefined;
  }
}

function first<K, V>(map: Map<K, V>): [K, V] | undefined {
  return map.entries().next().value;
}
