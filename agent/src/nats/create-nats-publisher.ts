import { setTimeout as sleep } from "node:timers/promises";
import { create, toBinary } from "@bufbuild/protobuf";
import type { Logger } from "@mtx-fleet/plugin-api";
import {
  environmentFromName,
  NodeRefSchema,
  type Telemetry,
  TelemetrySchema,
  telemetrySubject,
} from "@mtx-fleet/proto";
import { jetstream } from "@nats-io/jetstream";
import { connect, type NatsConnection, type NodeConnectionOptions } from "@nats-io/transport-node";
import { DEFAULT_OUTBOX_CURSOR } from "../outbox/index.ts";
import { type DeliveryCounters, deliverOutboxEvents, type OutboxSource } from "./deliver-outbox-events.ts";
import type { PublisherNode } from "./outbox-record-to-event.ts";
import { pause, retryDelayMs } from "./retry-delay.ts";

export const DEFAULT_TELEMETRY_INTERVAL_MS = 2_000;
export const DEFAULT_EVENT_BATCH_SIZE = 100;
export const DEFAULT_PUB_ACK_TIMEOUT_MS = 5_000;
export const DEFAULT_RETRY_MIN_DELAY_MS = 250;
export const DEFAULT_RETRY_MAX_DELAY_MS = 10_000;
export const DEFAULT_RECONNECT_TIME_WAIT_MS = 2_000;
export const DEFAULT_RECONNECT_JITTER_MS = 1_000;
/** Dead-link detection: with NAT boxes between agent and broker the 2 min default is too lazy. */
export const DEFAULT_PING_INTERVAL_MS = 20_000;
export const DEFAULT_STOP_TIMEOUT_MS = 5_000;

/** Options of `createNatsPublisher`. */
export interface NatsPublisherOptions {
  /** NATS URL(s), e.g. `nats://hub.example:4222`. */
  readonly servers: string | readonly string[];
  readonly node: PublisherNode;
  /** The agent's durable outbox; it must have been opened with `cursor` among its cursors. */
  readonly outbox: OutboxSource;
  /** The node's current telemetry; undefined skips a tick (nothing known yet). */
  readonly telemetry?: () => Telemetry | undefined;
  readonly telemetryIntervalMs?: number;
  /** Subscribes to "the node's streams changed": telemetry is then published at once. */
  readonly telemetryChanges?: (listener: () => void) => () => void;
  readonly logger: Logger;
  /** Aborting it stops the publisher like `stop()`. */
  readonly signal?: AbortSignal;
  /** The outbox cursor this publisher advances (default `"hub"`). */
  readonly cursor?: string;
  /** Records per outbox read, published pipelined. */
  readonly batchSize?: number;
  readonly pubAckTimeoutMs?: number;
  /** Backoff between delivery retries (full jitter), cut short by a reconnect. */
  readonly retryMinDelayMs?: number;
  readonly retryMaxDelayMs?: number;
  readonly reconnectTimeWaitMs?: number;
  /** Upper bound of the random delay added to each reconnect wait. */
  readonly reconnectJitterMs?: number;
  readonly pingIntervalMs?: number;
  /** How long `stop()` waits for in-flight PubAcks before closing the connection. */
  readonly stopTimeoutMs?: number;
  /** Authentication and TLS (`token`, `user`/`pass`, `authenticator`, `tls`) passed to `connect`. */
  readonly connection?: Omit<
    NodeConnectionOptions,
    "servers" | "waitOnFirstConnect" | "maxReconnectAttempts" | "reconnect"
  >;
}

/** Where the link to NATS stands. */
export type NatsLinkState = "connecting" | "connected" | "disconnected" | "closed";

/** A snapshot for the local API and metrics. */
export interface NatsPublisherStatus extends Readonly<DeliveryCounters> {
  readonly state: NatsLinkState;
  /** Telemetry messages handed to NATS (skipped while disconnected). */
  readonly telemetrySent: number;
}

/** A running publisher; `stop()` is idempotent. */
export interface NatsPublisher extends AsyncDisposable {
  status(): NatsPublisherStatus;
  /** Lets in-flight PubAcks settle (bounded), acks what was confirmed, drains the connection. */
  stop(): Promise<void>;
}

/**
 * Starts the agent's NATS side: events from the durable outbox go to the `MTX_EVENTS` stream
 * (at least once, in order, deduplicated by id: see `deliverOutboxEvents`), and telemetry is
 * published latest-wins on `mtx.v1.<env>.<node>.telemetry` with core NATS (nothing stored, so
 * nothing grows; a tick while disconnected is skipped rather than buffered, as a newer one
 * follows). Returns at once: the connection is made in the background and retried for ever,
 * so an unreachable broker never delays the agent's start.
 */
export function createNatsPublisher(options: NatsPublisherOptions): NatsPublisher {
  const logger = options.logger.child({ component: "nats-publisher" });
  const stopper = new AbortController();
  const signal =
    options.signal === undefined ? stopper.signal : AbortSignal.any([stopper.signal, options.signal]);
  const counters: DeliveryCounters = { published: 0, duplicates: 0, dropped: 0, deliveredSeq: 0 };
  const link: LinkState = { state: "connecting", telemetrySent: 0, wake: Promise.withResolvers<void>() };
  let connection: NatsConnection | undefined;

  const run = async (): Promise<void> => {
    const nc = await connectForever(options, logger, signal);
    if (nc === undefined) return;
    connection = nc;
    link.state = "connected";
    logger.info({ server: nc.getServer() }, "connected to NATS");
    // Ends when the connection closes, after `running`.
    void followStatus(nc, link, logger);
    const delivery = deliverOutboxEvents({
      js: jetstream(nc),
      outbox: options.outbox,
      node: options.node,
      cursor: options.cursor ?? DEFAULT_OUTBOX_CURSOR,
      batchSize: options.batchSize ?? DEFAULT_EVENT_BATCH_SIZE,
      pubAckTimeoutMs: options.pubAckTimeoutMs ?? DEFAULT_PUB_ACK_TIMEOUT_MS,
      retry: {
        minDelayMs: options.retryMinDelayMs ?? DEFAULT_RETRY_MIN_DELAY_MS,
        maxDelayMs: options.retryMaxDelayMs ?? DEFAULT_RETRY_MAX_DELAY_MS,
      },
      logger,
      signal,
      reconnected: () => link.wake.promise,
      counters,
    });
    await Promise.all([delivery, publishTelemetry(nc, options, link, logger, signal)]);
  };
  const running = run().catch((error: unknown) => logger.error({ err: error }, "NATS publisher failed"));

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      stopper.abort();
      const stopTimeoutMs = options.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS;
      // Still dialling for the first time: nothing to drain. nats.js cannot cancel that dial;
      // `connectForever` closes the connection if it ever succeeds.
      if (connection !== undefined) {
        await settleWithin(running, stopTimeoutMs);
        await closeConnection(connection, stopTimeoutMs);
      }
      link.state = "closed";
    })();
    return stopping;
  };
  options.signal?.addEventListener("abort", () => void stop(), { once: true });

  return {
    status: () => ({ ...counters, state: link.state, telemetrySent: link.telemetrySent }),
    stop,
    [Symbol.asyncDispose]: stop,
  };
}

/** Connects with `waitOnFirstConnect` (retried for ever); undefined when stopped first. */
async function connectForever(
  options: NatsPublisherOptions,
  logger: Logger,
  signal: AbortSignal,
): Promise<NatsConnection | undefined> {
  for (let attempt = 1; !signal.aborted; attempt += 1) {
    try {
      const nc = await connect({
        name: `mtx-agent ${options.node.id}`,
        ...options.connection,
        servers: [options.servers].flat(),
        waitOnFirstConnect: true,
        maxReconnectAttempts: -1,
        reconnectTimeWait: options.reconnectTimeWaitMs ?? DEFAULT_RECONNECT_TIME_WAIT_MS,
        reconnectJitter: options.reconnectJitterMs ?? DEFAULT_RECONNECT_JITTER_MS,
        pingInterval: options.pingIntervalMs ?? DEFAULT_PING_INTERVAL_MS,
      });
      if (!signal.aborted) return nc;
      // Stopped while the first connect was pending: nobody else will close it.
      await nc.close();
      return undefined;
    } catch (error) {
      // waitOnFirstConnect retries unreachable servers itself; this is e.g. an auth refusal.
      logger.error({ err: error, attempt }, "cannot connect to NATS; retrying");
      await pause(retryDelayMs(attempt, { minDelayMs: 1_000, maxDelayMs: 30_000 }), signal);
    }
  }
  return undefined;
}

interface LinkState {
  state: NatsLinkState;
  telemetrySent: number;
  /** Resolved (and replaced) at every reconnect. */
  wake: PromiseWithResolvers<void>;
}

async function followStatus(nc: NatsConnection, link: LinkState, logger: Logger): Promise<void> {
  for await (const status of nc.status()) {
    if (status.type === "disconnect") {
      link.state = "disconnected";
      logger.warn({ server: status.server }, "disconnected from NATS; reconnecting");
    } else if (status.type === "reconnect") {
      link.state = "connected";
      logger.info({ server: status.server }, "reconnected to NATS");
      link.wake.resolve();
      link.wake = Promise.withResolvers<void>();
    }
  }
}

async function publishTelemetry(
  nc: NatsConnection,
  options: NatsPublisherOptions,
  link: LinkState,
  logger: Logger,
  signal: AbortSignal,
): Promise<void> {
  const { telemetry, node } = options;
  if (telemetry === undefined) return;
  const subject = telemetrySubject({ environment: node.environment, nodeId: node.id });
  const nodeRef = create(NodeRefSchema, {
    nodeId: node.id,
    name: node.name ?? "",
    environment: environmentFromName(node.environment),
  });
  const intervalMs = options.telemetryIntervalMs ?? DEFAULT_TELEMETRY_INTERVAL_MS;
  let changed = Promise.withResolvers<void>();
  const unsubscribe = options.telemetryChanges?.(() => changed.resolve()) ?? (() => {});
  signal.addEventListener("abort", unsubscribe, { once: true });
  while (!signal.aborted) {
    changed = Promise.withResolvers<void>();
    if (link.state === "connected") {
      try {
        const current = telemetry();
        if (current !== undefined) {
          nc.publish(
            subject,
            toBinary(TelemetrySchema, current.node === undefined ? { ...current, node: nodeRef } : current),
          );
          link.telemetrySent += 1;
        }
      } catch (error) {
        logger.warn({ err: error }, "telemetry not published");
      }
    }
    // A reconnect or a change sends the current state at once instead of waiting for the tick.
    await pause(intervalMs, signal, Promise.race([link.wake.promise, changed.promise]));
  }
}

async function closeConnection(nc: NatsConnection | undefined, timeoutMs: number): Promise<void> {
  if (nc === undefined || nc.isClosed()) return;
  const drained = await settleWithin(nc.drain(), timeoutMs);
  if (!drained) await nc.close();
}

/** True when `promise` settled (either way) within `timeoutMs`; the timer never outlives it. */
async function settleWithin(promise: Promise<unknown>, timeoutMs: number): Promise<boolean> {
  const timer = new AbortController();
  const settled = promise.then(
    () => true,
    () => true,
  );
  const result = await Promise.race([
    settled,
    sleep(timeoutMs, false, { signal: timer.signal }).catch(() => false),
  ]);
  timer.abort();
  return result;
}
