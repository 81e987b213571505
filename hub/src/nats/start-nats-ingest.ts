import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "@mtx-fleet/plugin-api";
import { consumerName, DEFAULT_HUB_CONSUMER_NAME } from "@mtx-fleet/proto";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect, type NatsConnection, type NodeConnectionOptions } from "@nats-io/transport-node";
import { consumeEvents } from "./consume-events.ts";
import {
  type EventsStreamOptions,
  ensureEventsStream,
  ensureHubConsumer,
  type HubConsumerOptions,
} from "./ensure-events-stream.ts";
import type { IngestCounters, NatsIngestHandlers } from "./nats-ingest-handlers.ts";
import { subscribeTelemetry, type TelemetrySubscription } from "./subscribe-telemetry.ts";

export const DEFAULT_INGEST_BATCH_SIZE = 100;
export const DEFAULT_MAX_DELIVERIES = 5;
export const DEFAULT_NAK_DELAY_MS = 1_000;
export const DEFAULT_INGEST_RECONNECT_TIME_WAIT_MS = 2_000;
export const DEFAULT_INGEST_RECONNECT_JITTER_MS = 1_000;
export const DEFAULT_INGEST_STOP_TIMEOUT_MS = 10_000;
const RETRY_MIN_DELAY_MS = 500;
const RETRY_MAX_DELAY_MS = 15_000;

/** Options of `startNatsIngest`. */
export interface NatsIngestOptions {
  readonly servers: string | readonly string[];
  readonly handlers: NatsIngestHandlers;
  /** The durable consumer; replicas with the same name share the events (default `mtx-hub`). */
  readonly durableName?: string;
  readonly logger: Logger;
  /** Aborting it stops the ingest like `stop()`. */
  readonly signal?: AbortSignal;
  readonly batchSize?: number;
  /** Delivery at which an event whose handler keeps failing is terminated (default 5). */
  readonly maxDeliveries?: number;
  readonly nakDelayMs?: number;
  readonly ackWaitMs?: number;
  readonly maxAckPending?: number;
  readonly stream?: EventsStreamOptions;
  readonly reconnectTimeWaitMs?: number;
  readonly reconnectJitterMs?: number;
  /** This hub replica: telemetry it relayed itself is not ingested twice. */
  readonly replicaId?: string;
  /** How long `stop()` waits for the handler call in flight. */
  readonly stopTimeoutMs?: number;
  /** Authentication and TLS passed to `connect`. */
  readonly connection?: Omit<
    NodeConnectionOptions,
    "servers" | "waitOnFirstConnect" | "maxReconnectAttempts" | "reconnect"
  >;
}

/** Where the ingest stands. */
export type NatsIngestState = "connecting" | "ready" | "disconnected" | "closed";

export interface NatsIngestStatus extends Readonly<IngestCounters> {
  readonly state: NatsIngestState;
}

/** A running ingest; `stop()` is idempotent. */
export interface NatsIngest extends AsyncDisposable {
  /** Resolves once events are consumed and telemetry subscribed, or when stopped before that. */
  readonly ready: Promise<void>;
  status(): NatsIngestStatus;
  /** Finishes the batch in hand (acked), releases buffered messages (nak), drains the connection. */
  stop(): Promise<void>;
}

/**
 * Starts the hub's NATS ingest: ensures the `MTX_EVENTS` stream and the shared durable pull
 * consumer, hands events to `handlers.onEvents` (acked after it resolved) and every node's
 * telemetry to `handlers.onTelemetry`. Returns at once; the connection is retried for ever
 * (`waitOnFirstConnect`, `maxReconnectAttempts: -1`), and a lost stream or consumer is
 * recreated.
 */
export function startNatsIngest(options: NatsIngestOptions): NatsIngest {
  const durableName = consumerName(options.durableName ?? DEFAULT_HUB_CONSUMER_NAME);
  const logger = options.logger.child({ component: "nats-ingest", consumer: durableName });
  const stopper = new AbortController();
  const signal =
    options.signal === undefined ? stopper.signal : AbortSignal.any([stopper.signal, options.signal]);
  const counters: IngestCounters = {
    eventsHandled: 0,
    eventsRetried: 0,
    eventsTerminated: 0,
    telemetryHandled: 0,
    telemetrySuperseded: 0,
    telemetryRejected: 0,
  };
  let state: NatsIngestState = "connecting";
  const ready = Promise.withResolvers<void>();
  let connection: NatsConnection | undefined;
  let telemetry: TelemetrySubscription | undefined;

  const run = async (): Promise<void> => {
    connection = await connectForever(options, durableName, signal);
    if (connection === undefined) return;
    logger.info({ server: connection.getServer() }, "connected to NATS");
    void followStatus(connection, logger, (next) => {
      if (state !== "closed") state = next;
    });
    telemetry = subscribeTelemetry(connection, options.handlers, counters, logger, {
      replicaId: options.replicaId,
    });
    await consumeForever(connection, { ...options, durableName }, counters, logger, signal, () => {
      state = "ready";
      ready.resolve();
    });
  };
  const running = run().catch((error: unknown) => logger.error({ err: error }, "NATS ingest failed"));

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      stopper.abort();
      if (connection !== undefined) {
        const timeoutMs = options.stopTimeoutMs ?? DEFAULT_INGEST_STOP_TIMEOUT_MS;
        await Promise.race([
          Promise.all([running, telemetry?.stop()]),
          sleep(timeoutMs, undefined, { ref: false }),
        ]);
        // drain() flushes the acks and naks written above before closing.
        await connection.drain().catch(() => connection?.close());
      }
      state = "closed";
      ready.resolve();
    })();
    return stopping;
  };
  options.signal?.addEventListener("abort", () => void stop(), { once: true });

  return {
    ready: ready.promise,
    status: () => ({ ...counters, state }),
    stop,
    [Symbol.asyncDispose]: stop,
  };
}

async function consumeForever(
  nc: NatsConnection,
  options: NatsIngestOptions & HubConsumerOptions,
  counters: IngestCounters,
  logger: Logger,
  signal: AbortSignal,
  onReady: () => void,
): Promise<void> {
  const jsm = await jetstreamManager(nc, { checkAPI: false });
  const js = jetstream(nc);
  for (let failures = 0; !signal.aborted; ) {
    try {
      await ensureEventsStream(jsm, options.stream ?? {}, logger);
      await ensureHubConsumer(jsm, options, logger);
      onReady();
      failures = 0;
      await consumeEvents({
        js,
        durableName: options.durableName,
        handlers: options.handlers,
        batchSize: options.batchSize ?? DEFAULT_INGEST_BATCH_SIZE,
        maxDeliveries: options.maxDeliveries ?? DEFAULT_MAX_DELIVERIES,
        nakDelayMs: options.nakDelayMs ?? DEFAULT_NAK_DELAY_MS,
        logger,
        signal,
        counters,
      });
    } catch (error) {
      if (signal.aborted) return;
      failures += 1;
      const level = failures === 1 ? "warn" : "debug";
      logger[level]({ err: error, failures }, "events consumer unavailable; retrying");
      const delayMs = Math.min(RETRY_MAX_DELAY_MS, RETRY_MIN_DELAY_MS * 2 ** (failures - 1));
      await sleep(delayMs * (0.5 + Math.random() / 2), undefined, { signal }).catch(() => {});
    }
  }
}

async function connectForever(
  options: NatsIngestOptions,
  durableName: string,
  signal: AbortSignal,
): Promise<NatsConnection | undefined> {
  for (let attempt = 1; !signal.aborted; attempt += 1) {
    try {
      const nc = await connect({
        name: `mtx-hub ${durableName}`,
        ...options.connection,
        servers: [options.servers].flat(),
        waitOnFirstConnect: true,
        maxReconnectAttempts: -1,
        reconnectTimeWait: options.reconnectTimeWaitMs ?? DEFAULT_INGEST_RECONNECT_TIME_WAIT_MS,
        reconnectJitter: options.reconnectJitterMs ?? DEFAULT_INGEST_RECONNECT_JITTER_MS,
      });
      if (!signal.aborted) return nc;
      await nc.close();
      return undefined;
    } catch (error) {
      options.logger.error({ err: error, attempt }, "cannot connect to NATS; retrying");
      await sleep(Math.min(30_000, 1_000 * attempt), undefined, { signal }).catch(() => {});
    }
  }
  return undefined;
}

async function followStatus(
  nc: NatsConnection,
  logger: Logger,
  setState: (state: NatsIngestState) => void,
): Promise<void> {
  for await (const status of nc.status()) {
    if (status.type === "disconnect") {
      setState("disconnected");
      logger.warn({ server: status.server }, "disconnected from NATS; reconnecting");
    } else if (status.type === "reconnect") {
      setState("ready");
      logger.info({ server: status.server }, "reconnected to NATS");
    }
  }
}
