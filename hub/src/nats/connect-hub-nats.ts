import { setTimeout as sleep } from "node:timers/promises";
import { type Logger, MtxError } from "@mtx-fleet/plugin-api";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect, type NatsConnection, type NodeConnectionOptions } from "@nats-io/transport-node";

export const DEFAULT_HUB_NATS_CONNECT_TIMEOUT_MS = 30_000;
export const DEFAULT_HUB_NATS_RECONNECT_TIME_WAIT_MS = 1_000;
export const DEFAULT_HUB_NATS_RECONNECT_JITTER_MS = 1_000;
const ATTEMPT_TIMEOUT_MS = 5_000;
const RETRY_DELAY_MS = 1_000;

/** Options of `connectHubNats`. */
export interface HubNatsOptions {
  readonly servers: string | readonly string[];
  /** Shown by the server (`nats server report connections`). */
  readonly name: string;
  readonly logger: Logger;
  /** How long to wait for a first connection before failing with MTX_NATS_UNAVAILABLE. */
  readonly connectTimeoutMs?: number;
  readonly reconnectTimeWaitMs?: number;
  readonly reconnectJitterMs?: number;
  /** Authentication and TLS passed to `connect`. */
  readonly connection?: Omit<
    NodeConnectionOptions,
    "servers" | "name" | "waitOnFirstConnect" | "maxReconnectAttempts" | "reconnect"
  >;
}

/**
 * The hub's connection for its shared store and the replica bus. Start-up waits up to
 * `connectTimeoutMs` for a server with JetStream and then fails with one clear
 * MTX_NATS_UNAVAILABLE (so a misconfigured hub exits once instead of spinning); once
 * connected, the connection reconnects for ever and logs each loss and recovery.
 */
export async function connectHubNats(options: HubNatsOptions): Promise<NatsConnection> {
  const servers = [options.servers].flat();
  const timeoutMs = options.connectTimeoutMs ?? DEFAULT_HUB_NATS_CONNECT_TIMEOUT_MS;
  const logger = options.logger.child({ component: "hub-nats" });
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (let attempt = 1; ; attempt += 1) {
    try {
      const nc = await connect({
        ...options.connection,
        servers,
        name: options.name,
        timeout: Math.max(100, Math.min(ATTEMPT_TIMEOUT_MS, deadline - Date.now())),
        maxReconnectAttempts: -1,
        reconnectTimeWait: options.reconnectTimeWaitMs ?? DEFAULT_HUB_NATS_RECONNECT_TIME_WAIT_MS,
        reconnectJitter: options.reconnectJitterMs ?? DEFAULT_HUB_NATS_RECONNECT_JITTER_MS,
      });
      await requireJetStream(nc, servers);
      void followStatus(nc, logger);
      logger.info({ server: nc.getServer() }, "connected to NATS");
      return nc;
    } catch (error) {
      if (MtxError.is(error, "MTX_NATS_UNAVAILABLE")) throw error;
      lastError = error;
      if (attempt === 1) logger.warn({ servers, err: error }, "NATS not reachable yet; waiting");
    }
    if (Date.now() + RETRY_DELAY_MS >= deadline) break;
    await sleep(RETRY_DELAY_MS);
  }
  throw new MtxError(
    "MTX_NATS_UNAVAILABLE",
    `cannot connect to NATS at ${servers.join(", ")} within ${timeoutMs} ms (${messageOf(lastError)}): check nats.servers and that nats-server runs`,
    { details: { servers, timeoutMs }, cause: lastError },
  );
}

async function requireJetStream(nc: NatsConnection, servers: readonly string[]): Promise<void> {
  try {
    await jetstreamManager(nc);
  } catch (error) {
    await nc.close().catch(() => undefined);
    throw new MtxError(
      "MTX_NATS_UNAVAILABLE",
      `NATS at ${servers.join(", ")} offers no JetStream (${messageOf(error)}): run nats-server with JetStream enabled (-js)`,
      { details: { servers }, cause: error },
    );
  }
}

async function followStatus(nc: NatsConnection, logger: Logger): Promise<void> {
  for await (const status of nc.status()) {
    if (status.type === "disconnect")
      logger.warn({ server: status.server }, "disconnected from NATS; reconnecting");
    else if (status.type === "reconnect") logger.info({ server: status.server }, "reconnected to NATS");
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
