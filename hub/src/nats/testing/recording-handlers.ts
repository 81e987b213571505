import { setTimeout as sleep } from "node:timers/promises";
import type { Event, Telemetry } from "@mtx-fleet/proto";
import type { NatsIngestHandlers } from "../nats-ingest-handlers.ts";

/** What a test hub saw; events are deduplicated by id the way the real hub store must. */
export interface RecordingHandlers extends NatsIngestHandlers {
  /** Unique events in arrival order. */
  readonly events: Event[];
  /** Every `onEvents` call, duplicates included: [nodeId, event ids]. */
  readonly calls: [string, string[]][];
  /** Redelivered ids dropped by the id dedupe. */
  duplicates: number;
  /** Newest telemetry per node, and how many were handled in all. */
  readonly telemetry: Map<string, Telemetry>;
  telemetryCount: number;
}

export interface RecordingHandlersOptions {
  /** Shared id set, so several replicas dedupe like one store. */
  readonly seen?: Set<string>;
  /** Called before recording; throw to fail the call, or return a promise to hold it. */
  readonly before?: (nodeId: string, events: readonly Event[]) => void | Promise<void>;
  /** Called after recording (the "store write" happened); return a promise to hold the ack. */
  readonly after?: (nodeId: string, events: readonly Event[]) => void | Promise<void>;
  readonly telemetryDelayMs?: number;
}

/** Handlers that record what the ingest hands over, deduplicating events by id. */
export function recordingHandlers(options: RecordingHandlersOptions = {}): RecordingHandlers {
  const seen = options.seen ?? new Set<string>();
  const handlers: RecordingHandlers = {
    events: [],
    calls: [],
    duplicates: 0,
    telemetry: new Map(),
    telemetryCount: 0,
    onEvents: async (nodeId, events) => {
      await options.before?.(nodeId, events);
      handlers.calls.push([nodeId, events.map((event) => event.id)]);
      for (const event of events) {
        if (seen.has(event.id)) handlers.duplicates += 1;
        else {
          seen.add(event.id);
          handlers.events.push(event);
        }
      }
      await options.after?.(nodeId, events);
    },
    onTelemetry: async (nodeId, telemetry) => {
      if (options.telemetryDelayMs !== undefined) await sleep(options.telemetryDelayMs);
      handlers.telemetry.set(nodeId, telemetry);
      handlers.telemetryCount += 1;
    },
  };
  return handlers;
}
