import type { FastifyInstance } from "fastify";
import type { HubApiDeps } from "./create-hub-api.ts";
import { type DocumentedRoute, openApiDocument } from "./openapi-document.ts";
import { routeConfig } from "./route-role.ts";

/** `/healthz` (public), `/metrics` (viewer) and `/api/v1/openapi.json` (public). */
export function registerStatusRoutes(
  app: FastifyInstance,
  deps: HubApiDeps,
  routes: () => readonly DocumentedRoute[],
): void {
  app.get("/healthz", routeConfig("public", "Liveness"), async () => ({
    status: "ok",
    version: deps.version,
  }));
  app.get("/metrics", routeConfig("viewer", "Prometheus metrics"), async (_request, reply) => {
    const text = await deps.registry.metrics();
    return reply.type(deps.registry.contentType).send(text);
  });
  let document: Record<string, unknown> | undefined;
  app.get("/api/v1/openapi.json", routeConfig("public", "This OpenAPI 3 document"), async () => {
    // Built on first request: every route is registered by then.
    document ??= openApiDocument(routes(), deps.version);
    return document;
  });
}
