import type { JournalEvent } from "@mtx-fleet/plugin-api";
import type { WorkerEvent, WorkerSpec } from "./worker-spec.ts";

/**
 * The durable event for a worker event (`worker.started|exited|failed|stopped`, `forwarder.*`
 * for forwarders), with `path` set so the hub files it under the stream; null for events the
 * journal does not keep (state changes: those are metrics and the local API).
 */
export function workerJournalEvent(spec: WorkerSpec, event: WorkerEvent, now: number): JournalEvent | null {
  const base = {
    worker: spec.id,
    name: spec.name,
    streamId: spec.streamId,
    ...(spec.destination === null ? {} : { destination: spec.destination }),
  };
  const kind = (what: string) => `${spec.kind}.${what}`;
  switch (event.type) {
    case "started": {
      const trigger = event.trigger;
      return {
        kind: kind("started"),
        path: spec.path,
        payload: {
          ...base,
          pid: event.pid,
          cause: event.cause,
          restarts: event.restarts,
          argv: event.argv,
          hookId: trigger?.hookId ?? null,
          origin: trigger?.origin ?? null,
          // From the stream becoming ready (hook occurredAt) to the process running.
          startLatencyMs: trigger === null ? null : now - trigger.occurredAt,
        },
      };
    }
    case "exited":
      return {
        kind: kind("exited"),
        path: spec.path,
        payload: {
          ...base,
          pid: event.pid,
          code: event.exit.code,
          signal: event.exit.signal,
          runMs: event.exit.runMs,
          restartInMs: event.restartInMs,
        },
      };
    case "spawn-failed":
      return {
        kind: kind("failed"),
        path: spec.path,
        payload: { ...base, error: event.error.toJSON(), restartInMs: event.restartInMs },
      };
    case "stopped":
      return {
        kind: kind("stopped"),
        path: spec.path,
        payload: {
          ...base,
          pid: event.pid,
          reason: event.reason,
          code: event.exit.code,
          signal: event.exit.signal,
          runMs: event.exit.runMs,
          forced: event.forced,
        },
      };
    case "state":
      return null;
    default:
      return event satisfies never;
  }
}
