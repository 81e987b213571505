import { MtxError } from "@mtx-fleet/plugin-api";
import type { FastifyInstance } from "fastify";
import type { LocalApiDeps } from "./create-local-api.ts";

/** `/api/v1/plugins`: state of every plugin, one plugin with its health, restart, plugin routes. */
export function registerPluginRoutes(app: FastifyInstance, deps: LocalApiDeps): void {
  const find = (name: string) => {
    const status = deps.host.status().find((s) => s.name === name);
    if (status === undefined)
      throw new MtxError("MTX_NOT_FOUND", `no plugin '${name}'`, { details: { plugin: name } });
    return status;
  };

  app.get("/api/v1/plugins", async () => ({ items: deps.host.status() }));

  app.get<{ Params: { name: string } }>("/api/v1/plugins/:name", async (request) => {
    const status = find(request.params.name);
    return { ...status, health: await deps.host.health(status.name) };
  });

  app.post<{ Params: { name: string } }>("/api/v1/plugins/:name/restart", async (request) => {
    const status = find(request.params.name);
    await deps.host.restart(status.name);
    return find(status.name);
  });

  // Routes that plugins add through ctx.http live under their own prefix and vanish with them.
  app.all<{ Params: { name: string; "*": string } }>("/api/v1/plugins/:name/x/*", async (request, reply) => {
    const path = `/${request.params["*"]}`;
    const handler = deps.host.route(request.params.name, request.method, path);
    if (handler === undefined) {
      throw new MtxError(
        "MTX_NOT_FOUND",
        `plugin '${request.params.name}' has no route ${request.method} ${path}`,
      );
    }
    const response = await handler({
      method: request.method,
      path,
      query: request.query as Record<string, string>,
      body: request.body,
      requestId: request.id,
    });
    return reply
      .status(response.status ?? 200)
      .headers(response.headers ?? {})
      .send(response.body ?? null);
  });
}
