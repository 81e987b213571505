import type { FastifyInstance } from "fastify";
import type { LocalApiDeps } from "./create-local-api.ts";

/** `/healthz`, `/readyz`, `/api/v1/status` and `/metrics`. */
export function registerStatusRoutes(app: FastifyInstance, deps: LocalApiDeps): void {
  app.get("/healthz", async () => ({ status: "ok" }));

  app.get("/readyz", async (_request, reply) => {
    const ready = deps.isReady();
    return reply.status(ready ? 200 : 503).send({ status: ready ? "ready" : "starting" });
  });

  app.get("/api/v1/status", async () => {
    const current = deps.poller.current();
    const plugins = deps.host.status();
    return {
      node: { name: deps.nodeName },
      agent: { version: deps.version, startedAt: new Date(deps.startedAt).toISOString(), pid: process.pid },
      hub: deps.hub(),
      mediamtx: {
        apiUrl: deps.mediamtxUrl,
        ...deps.mediamtxHealth(),
        snapshotAgeMs: current?.ageMs ?? null,
        stale: current?.stale ?? true,
        paths: current?.snapshot.paths.length ?? null,
      },
      plugins: {
        total: plugins.length,
        running: plugins.filter((p) => p.state.kind === "running").length,
        failed: plugins.filter((p) => p.state.kind === "failed").map((p) => p.name),
      },
      outbox: deps.outbox.stats(),
    };
  });

  app.get("/metrics", async (_request, reply) => {
    const text = await deps.registry.metrics();
    return reply.type(deps.registry.contentType).send(text);
  });
}
