import { Server } from "@grpc/grpc-js";
import type { Clock, Logger } from "@mtx-fleet/plugin-api";
import { MtxError } from "@mtx-fleet/plugin-api";
import { AgentLinkService, addService } from "@mtx-fleet/proto";
import type { LinkCommand, LinkCommandResult, SendCommandOptions } from "./link-command.ts";
import { DEFAULT_COMMAND_TIMEOUT_MS } from "./link-command.ts";
import type { LinkHandlers } from "./link-handlers.ts";
import { LINK_SERVER_CHANNEL_OPTIONS } from "./link-server-channel-options.ts";
import type { LinkServerTls } from "./link-server-credentials.ts";
import { linkServerCredentials } from "./link-server-credentials.ts";
import { serveSession } from "./serve-session.ts";
import { SessionRegistry } from "./session-registry.ts";

export const DEFAULT_HEARTBEAT_INTERVAL_MS = 5_000;
export const DEFAULT_STALE_AFTER_MS = 15_000;
export const DEFAULT_OFFLINE_AFTER_MS = 60_000;
export const DEFAULT_HELLO_TIMEOUT_MS = 10_000;
/** How long `close()` lets calls finish before cutting them. */
export const LINK_SERVER_CLOSE_GRACE_MS = 2_000;

/** Options of `createLinkServer`. */
export interface LinkServerOptions {
  readonly host: string;
  /** 0 picks a free port (see `address`). */
  readonly port: number;
  /** PEM files; unset means plain text (meant for loopback, warned otherwise). */
  readonly tls?: LinkServerTls | undefined;
  readonly handlers: LinkHandlers;
  /** Sent to agents in Welcome: how often they heartbeat. */
  readonly heartbeatIntervalMs?: number;
  /** Silence after which a node is stale; keep it ≥ 2–3 heartbeats to absorb jitter. */
  readonly staleAfterMs?: number;
  /** Silence after which a node is offline. */
  readonly offlineAfterMs?: number;
  /** A session that sends no hello within this is refused. */
  readonly helloTimeoutMs?: number;
  readonly logger: Logger;
  readonly clock?: Pick<Clock, "now">;
  /** A node got a live session here (true) or lost it without a replacement (false). */
  readonly onSessionChange?: (nodeId: string, hasSession: boolean) => void;
}

/** A running link server. */
export interface LinkServer extends AsyncDisposable {
  /** `host:port` actually bound. */
  readonly address: string;
  readonly port: number;
  readonly sessions: SessionRegistry;
  /**
   * Sends a command to a node and waits for the agent's result. Rejects with MTX_NODE_OFFLINE
   * when the node has no session (or it ends first), MTX_LINK_TIMEOUT past `timeoutMs`, or the
   * agent's own error (e.g. MTX_INVALID_INPUT for a kind it does not know).
   */
  sendCommand(nodeId: string, command: LinkCommand, options?: SendCommandOptions): Promise<LinkCommandResult>;
  /** Ends every session (agents reconnect) and stops listening. */
  close(): Promise<void>;
}

/** Starts the gRPC server of `AgentLinkService` (Enrol + Session) with its session registry. */
export async function createLinkServer(options: LinkServerOptions): Promise<LinkServer> {
  const {
    host,
    handlers,
    logger,
    heartbeatIntervalMs = DEFAULT_HEARTBEAT_INTERVAL_MS,
    staleAfterMs = DEFAULT_STALE_AFTER_MS,
    offlineAfterMs = DEFAULT_OFFLINE_AFTER_MS,
    helloTimeoutMs = DEFAULT_HELLO_TIMEOUT_MS,
    clock = Date,
  } = options;
  checkThresholds(heartbeatIntervalMs, staleAfterMs, offlineAfterMs);
  const credentials = await linkServerCredentials(host, options.tls, logger);
  const registry = new SessionRegistry({
    staleAfterMs,
    offlineAfterMs,
    clock,
    logger,
    onState: (node, state) => handlers.onState(node, state),
    onSessionChange: options.onSessionChange,
  });
  const deps = { handlers, registry, heartbeatIntervalMs, helloTimeoutMs, clock, logger };
  const server = new Server(LINK_SERVER_CHANNEL_OPTIONS);
  addService(
    server,
    AgentLinkService,
    {
      enrol: async (request) => await handlers.enrol(request),
      session: (requests, ctx) => serveSession(requests, ctx, deps),
    },
    {
      onUnexpectedError: (error, ctx) =>
        logger.error({ err: error, method: ctx.method, peer: ctx.peer }, "link handler failed"),
    },
  );
  const hostPart = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
  const port = await bind(server, `${hostPart}:${options.port}`, credentials);
  const address = `${hostPart}:${port}`;
  const sweep = setInterval(() => registry.sweep(), Math.max(10, Math.min(1_000, staleAfterMs / 5)));
  sweep.unref();
  logger.info({ address, tls: options.tls !== undefined }, "link server listening");

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      clearInterval(sweep);
      registry.closeAll();
      await shutdown(server, LINK_SERVER_CLOSE_GRACE_MS);
      await registry.settled();
    })();
    return closing;
  };
  return {
    address,
    port,
    sessions: registry,
    sendCommand: (nodeId, command, { timeoutMs = DEFAULT_COMMAND_TIMEOUT_MS } = {}) => {
      const session = registry.session(nodeId);
      if (session === undefined) {
        return Promise.reject(
          new MtxError("MTX_NODE_OFFLINE", `node ${nodeId} has no live session with this hub`, {
            details: { nodeId, state: registry.state(nodeId) },
          }),
        );
      }
      return session.command(command, timeoutMs);
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}

function checkThresholds(heartbeatIntervalMs: number, staleAfterMs: number, offlineAfterMs: number): void {
  const issues: string[] = [];
  if (!(heartbeatIntervalMs > 0)) issues.push("heartbeatIntervalMs must be > 0");
  if (!(staleAfterMs > heartbeatIntervalMs)) issues.push("staleAfterMs must be > heartbeatIntervalMs");
  if (!(offlineAfterMs > staleAfterMs)) issues.push("offlineAfterMs must be > staleAfterMs");
  if (issues.length > 0)
    throw new MtxError("MTX_INVALID_INPUT", `bad link server timing: ${issues.join("; ")}`, {
      details: { issues },
    });
}

function bind(
  server: Server,
  address: string,
  credentials: Parameters<Server["bindAsync"]>[1],
): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(address, credentials, (error, port) => {
      if (error)
        reject(
          new MtxError("MTX_INTERNAL", `link server cannot listen on ${address}: ${error.message}`, {
            cause: error,
          }),
        );
      else resolve(port);
    });
  });
}

async function shutdown(server: Server, graceMs: number): Promise<void> {
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      server.forceShutdown();
      resolve();
    }, graceMs);
    server.tryShutdown(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
