import { randomUUID } from "node:crypto";
import type { SnapshotPoller } from "@mtx-fleet/mediamtx";
import { httpStatusForCode, type Logger, MtxError, type MtxErrorBody } from "@mtx-fleet/plugin-api";
import Fastify, { type FastifyInstance } from "fastify";
import type { Registry } from "prom-client";
import type { Outbox } from "../outbox/index.ts";
import type { PluginHost } from "../plugins/plugin-host.ts";
import { checkWriteToken } from "./check-write-token.ts";
import { registerEventRoutes } from "./event-routes.ts";
import { registerPluginRoutes } from "./plugin-routes.ts";
import { registerStatusRoutes } from "./status-routes.ts";
import { registerStreamRoutes } from "./stream-routes.ts";

/** How the last polls of the MediaMTX Control API went. */
export interface MediaMtxHealth {
  reachable: boolean;
  consecutiveFailures: number;
  lastError: MtxErrorBody | null;
}

/** What the local API reads from the running agent. */
export interface LocalApiDeps {
  readonly nodeName: string;
  readonly version: string;
  readonly startedAt: number;
  readonly token: string | undefined;
  readonly registry: Registry;
  readonly host: PluginHost;
  readonly outbox: Outbox;
  readonly poller: SnapshotPoller;
  readonly mediamtxUrl: string;
  readonly mediamtxHealth: () => Readonly<MediaMtxHealth>;
  /** Standalone, or the hub link and its state. */
  readonly hub: () => Readonly<Record<string, unknown>>;
  readonly logger: Logger;
  /** True once startup finished; `/readyz` answers 503 before. */
  readonly isReady: () => boolean;
}

export const LOCAL_API_BODY_LIMIT_BYTES = 1_048_576;

/**
 * The agent's local HTTP API (loopback by default): health, status, plugins, streams from the
 * shared snapshot, recent events, `/metrics`. Errors are `{code, message, details}`.
 */
export function createLocalApi(deps: LocalApiDeps): FastifyInstance {
  const app = Fastify({
    bodyLimit: LOCAL_API_BODY_LIMIT_BYTES,
    genReqId: () => randomUUID(),
    routerOptions: { ignoreTrailingSlash: true },
  });

  app.addHook("onRequest", async (request) => {
    checkWriteToken(request.method, request.headers.authorization, deps.token);
  });
  app.addHook("onResponse", async (request, reply) => {
    deps.logger.debug(
      { requestId: request.id, method: request.method, url: request.url, status: reply.statusCode },
      "local api request",
    );
  });

  app.setErrorHandler((error, request, reply) => {
    const mtx = MtxError.is(error)
      ? error
      : (error as { validation?: unknown }).validation !== undefined ||
          (error as { statusCode?: number }).statusCode === 400 ||
          (error as { statusCode?: number }).statusCode === 413 ||
          (error as { statusCode?: number }).statusCode === 415
        ? new MtxError("MTX_INVALID_INPUT", (error as Error).message)
        : MtxError.from(error, "MTX_INTERNAL", "internal error");
    if (mtx.code === "MTX_INTERNAL") {
      deps.logger.error({ requestId: request.id, err: error }, "local api request failed");
    }
    void reply.status(httpStatusForCode(mtx.code)).send(mtx.toJSON());
  });
  app.setNotFoundHandler((request, reply) => {
    void reply
      .status(404)
      .send(
        new MtxError("MTX_NOT_FOUND", `no route ${request.method} ${request.url.split("?")[0]}`).toJSON(),
      );
  });

  registerStatusRoutes(app, deps);
  registerPluginRoutes(app, deps);
  registerStreamRoutes(app, deps);
  registerEventRoutes(app, deps);
  return app;
}
