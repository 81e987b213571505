import type { Logger } from "@mtx-fleet/plugin-api";
import { encodeSubjectToken } from "@mtx-fleet/proto";
import {
  DeliverPolicy,
  DiscardPolicy,
  JetStreamApiError,
  type JetStreamClient,
  type JetStreamManager,
  RetentionPolicy,
  StorageType,
} from "@nats-io/jetstream";
import { nanos } from "@nats-io/transport-node";
import { EventWindow } from "./event-window.ts";
import { followStream, type StreamFollower } from "./follow-stream.ts";
import type { EventRecord } from "./hub-records.ts";
import type { AppendEventsResult } from "./hub-store.ts";
import { natsFailure } from "./nats-failure.ts";

/** The stream holding every node's events at the hub (not the agents' `MTX_EVENTS`). */
export const HUB_EVENTS_STREAM = "MTX_HUB_EVENTS";
/** `mtx-hub.v1.events.<node>`: one subject per node, so the stream bounds each node alone. */
export const HUB_EVENTS_SUBJECT_PREFIX = "mtx-hub.v1.events";
/** Concurrent appends of one event by two replicas are dropped by the server inside this window. */
export const DEFAULT_HUB_EVENTS_DUPLICATE_WINDOW_MS = 2 * 60_000;
const STREAM_NOT_FOUND = 10_059;

/** Options of `KvEventLog.open`. */
export interface KvEventLogOptions {
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly maxEventsPerNode: number;
  readonly replicas: number;
  readonly logger: Logger;
}

/**
 * The hub's events on JetStream: a stream with one subject per node, capped at
 * `maxEventsPerNode` messages per subject by the server (the oldest go first), each message
 * published with the event id as its message id so two replicas storing the same event at
 * once store it once. Every replica follows the stream into per-node `EventWindow`s (what
 * listings read), and adds its own appends at once when acknowledged.
 */
export class KvEventLog {
  readonly #options: KvEventLogOptions;
  readonly #windows = new Map<string, EventWindow>();
  /** Appends of one node run one after another on this replica (dedupe is check-then-write). */
  readonly #queues = new Map<string, Promise<unknown>>();
  #follower: StreamFollower | undefined;

  private constructor(options: KvEventLogOptions) {
    this.#options = options;
  }

  /** Ensures the stream, then loads every event into memory before resolving. */
  static async open(options: KvEventLogOptions): Promise<KvEventLog> {
    await ensureHubEventsStream(options.jsm, options);
    const log = new KvEventLog(options);
    log.#follower = await followStream({
      js: options.js,
      stream: HUB_EVENTS_STREAM,
      filterSubjects: [`${HUB_EVENTS_SUBJECT_PREFIX}.>`],
      deliverPolicy: DeliverPolicy.All,
      onMessage: (msg) => {
        try {
          const event = msg.json<EventRecord>();
          log.#window(event.nodeId).add(event);
        } catch (error) {
          options.logger.warn({ err: error, seq: msg.seq }, "unreadable hub event skipped");
        }
      },
      logger: options.logger,
    });
    await log.#follower.caughtUp;
    for (const window of log.#windows.values()) window.settleLoaded();
    return log;
  }

  events(nodeId: string): readonly EventRecord[] | undefined {
    return this.#windows.get(nodeId)?.items;
  }

  *allEvents(): Iterable<readonly EventRecord[]> {
    for (const window of this.#windows.values()) yield window.items;
  }

  highestSeq(nodeId: string): number {
    return this.#windows.get(nodeId)?.highestSeq ?? 0;
  }

  append(nodeId: string, list: readonly EventRecord[]): Promise<AppendEventsResult> {
    const previous = this.#queues.get(nodeId) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(() => this.#append(nodeId, list));
    this.#queues.set(nodeId, run);
    void run
      .finally(() => {
        if (this.#queues.get(nodeId) === run) this.#queues.delete(nodeId);
      })
      .catch(() => undefined);
    return run;
  }

  /** Removes a node's events from the stream and from memory. */
  async purge(nodeId: string): Promise<void> {
    try {
      await this.#options.jsm.streams.purge(HUB_EVENTS_STREAM, { filter: subjectOf(nodeId) });
    } catch (error) {
      throw natsFailure(error, `removing the events of node ${nodeId}`);
    }
    this.forget(nodeId);
  }

  /** Drops a node's events from memory (another replica deleted the node and purged them). */
  forget(nodeId: string): void {
    this.#windows.delete(nodeId);
  }

  async stop(): Promise<void> {
    await Promise.allSettled([...this.#queues.values()]);
    await this.#follower?.stop();
  }

  async #append(nodeId: string, list: readonly EventRecord[]): Promise<AppendEventsResult> {
    const window = this.#window(nodeId);
    const fresh = window.fresh(list);
    const subject = subjectOf(nodeId);
    // Pipelined on one connection: the server keeps their order.
    const acks = await Promise.allSettled(
      fresh.map((event) =>
        this.#options.js.publish(subject, JSON.stringify(event), { msgID: `${nodeId}/${event.id}` }),
      ),
    );
    const stored: EventRecord[] = [];
    let failure: unknown;
    acks.forEach((ack, i) => {
      const event = fresh[i] as EventRecord;
      if (ack.status === "rejected") {
        failure ??= ack.reason;
        return;
      }
      window.add(event);
      // A duplicate ack: another replica stored this very event first.
      if (!ack.value.duplicate) stored.push(event);
    });
    if (failure !== undefined) throw natsFailure(failure, `storing ${fresh.length} events of node ${nodeId}`);
    return { stored, highestSeq: window.highestSeq };
  }

  #window(nodeId: string): EventWindow {
    let window = this.#windows.get(nodeId);
    if (window === undefined) {
      window = new EventWindow(this.#options.maxEventsPerNode);
      this.#windows.set(nodeId, window);
    }
    return window;
  }
}

function subjectOf(nodeId: string): string {
  return `${HUB_EVENTS_SUBJECT_PREFIX}.${encodeSubjectToken(nodeId)}`;
}

async function ensureHubEventsStream(
  jsm: JetStreamManager,
  options: Pick<KvEventLogOptions, "maxEventsPerNode" | "replicas" | "logger">,
): Promise<void> {
  const limits = {
    subjects: [`${HUB_EVENTS_SUBJECT_PREFIX}.>`],
    max_msgs_per_subject: options.maxEventsPerNode,
    duplicate_window: nanos(DEFAULT_HUB_EVENTS_DUPLICATE_WINDOW_MS),
    discard: DiscardPolicy.Old,
    num_replicas: options.replicas,
  };
  try {
    const info = await jsm.streams.info(HUB_EVENTS_STREAM);
    if (info.config.max_msgs_per_subject !== limits.max_msgs_per_subject) {
      await jsm.streams.update(HUB_EVENTS_STREAM, limits);
      options.logger.info({ stream: HUB_EVENTS_STREAM, ...limits }, "hub events stream limits updated");
    }
  } catch (error) {
    if (!(error instanceof JetStreamApiError && error.code === STREAM_NOT_FOUND)) {
      throw natsFailure(error, `opening the ${HUB_EVENTS_STREAM} stream`);
    }
    await jsm.streams.add({
      name: HUB_EVENTS_STREAM,
      storage: StorageType.File,
      retention: RetentionPolicy.Limits,
      ...limits,
    });
  }
}
