import { randomUUID } from "node:crypto";
import { httpStatusForCode, type Logger, MtxError } from "@mtx-fleet/plugin-api";
import Fastify, { type FastifyInstance } from "fastify";
import type { Registry } from "prom-client";
import type { AuthService } from "../auth/auth-service.ts";
import { roleAllows } from "../auth/role-allows.ts";
import type { FleetService } from "../fleet/fleet-service.ts";
import { HUB_API_BODY_LIMIT_BYTES } from "./api-schemas.ts";
import { registerAuthRoutes } from "./auth-routes.ts";
import { registerEventRoutes } from "./event-routes.ts";
import { registerHealthRoutes } from "./health-routes.ts";
import type { NodeCommands } from "./node-commands.ts";
import { registerNodeRoutes } from "./node-routes.ts";
import { type DocumentedRoute, documentedRoutes } from "./openapi-document.ts";
import { setPrincipal } from "./principal-of.ts";
import type { HubRouteConfig } from "./route-role.ts";
import { registerStatusRoutes } from "./status-routes.ts";
import { registerStreamRoutes } from "./stream-routes.ts";
import { toMtxError } from "./to-mtx-error.ts";

/** What the hub API reads and drives. */
export interface HubApiDeps {
  readonly fleet: FleetService;
  readonly auth: AuthService;
  readonly registry: Registry;
  readonly logger: Logger;
  readonly version: string;
  /** The link's commands; undefined while no link server runs (commands answer MTX_NODE_OFFLINE). */
  readonly commands: () => NodeCommands | undefined;
}

/**
 * The hub REST API under `/api/v1` (plus `/healthz` and `/metrics`). Every route needs a
 * bearer token of its role except health, login and the OpenAPI document; errors are
 * `{code, message, details}` with the status from the shared code table.
 */
export function createHubApi(deps: HubApiDeps): FastifyInstance {
  const app = Fastify({
    bodyLimit: HUB_API_BODY_LIMIT_BYTES,
    genReqId: () => randomUUID(),
    routerOptions: { ignoreTrailingSlash: true },
    // Unknown body fields are an error, not silently dropped.
    ajv: { customOptions: { removeAdditional: false } },
  });
  const routes: DocumentedRoute[] = [];
  app.addHook("onRoute", (route) => {
    if (route.url.startsWith("/api/")) routes.push(...documentedRoutes(route));
  });

  app.addHook("onRequest", async (request) => {
    const needed = (request.routeOptions.config as HubRouteConfig).role ?? "viewer";
    if (needed === "public") return;
    const principal = await deps.auth.authenticate(request.headers.authorization);
    if (!roleAllows(principal.role, needed)) {
      throw new MtxError("MTX_FORBIDDEN", `this needs the ${needed} role; the token has ${principal.role}`, {
        details: { needed, role: principal.role },
      });
    }
    setPrincipal(request, principal);
  });
  app.addHook("onResponse", async (request, reply) => {
    deps.logger.debug(
      { requestId: request.id, method: request.method, url: request.url, status: reply.statusCode },
      "hub api request",
    );
  });
  app.setErrorHandler((error, request, reply) => {
    const mtx = toMtxError(error);
    if (mtx.code === "MTX_INTERNAL")
      deps.logger.error({ requestId: request.id, err: error }, "hub api request failed");
    void reply.status(httpStatusForCode(mtx.code)).send(mtx.toJSON());
  });
  app.setNotFoundHandler((request, reply) => {
    const route = request.url.split("?")[0];
    void reply
      .status(404)
      .send(new MtxError("MTX_NOT_FOUND", `no route ${request.method} ${route}`).toJSON());
  });

  registerStatusRoutes(app, deps, () => routes);
  registerAuthRoutes(app, deps);
  registerNodeRoutes(app, deps);
  registerStreamRoutes(app, deps);
  registerHealthRoutes(app, deps);
  registerEventRoutes(app, deps);
  return app;
}
