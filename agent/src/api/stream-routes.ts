import { Type } from "@mtx-fleet/plugin-api";
import type { FastifyInstance } from "fastify";
import type { LocalApiDeps } from "./create-local-api.ts";

const StreamsQuery = Type.Object(
  {
    page: Type.Integer({ minimum: 0, default: 0 }),
    perPage: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
    available: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

/**
 * `/api/v1/streams`: the paths of the last good snapshot (no extra MediaMTX request), with the
 * counters' rates, the plugins' health verdict and `viewers`: MediaMTX's readers less the ones
 * the agent opened itself (probe reads), which are never shown as viewers.
 */
export function registerStreamRoutes(app: FastifyInstance, deps: LocalApiDeps): void {
  app.get<{ Querystring: { page: number; perPage: number; available?: boolean } }>(
    "/api/v1/streams",
    { schema: { querystring: StreamsQuery } },
    async (request) => {
      const current = deps.poller.current();
      const { page, perPage, available } = request.query;
      const paths = (current?.snapshot.paths ?? []).filter(
        (path) => available === undefined || path.available === available,
      );
      const items = paths.slice(page * perPage, (page + 1) * perPage).map((path) => {
        const delta = current?.snapshot.deltas.get(path.name);
        return {
          ...path,
          inboundBytesPerSecond: delta?.inboundBytesPerSecond ?? null,
          outboundBytesPerSecond: delta?.outboundBytesPerSecond ?? null,
          viewers: Math.max(0, path.readers.length - deps.host.streams.ownReaders(path.name)),
          health: deps.host.streams.health(path.name) ?? null,
        };
      });
      return {
        snapshot:
          current === null
            ? null
            : {
                takenAt: new Date(current.takenAt).toISOString(),
                ageMs: current.ageMs,
                stale: current.stale,
              },
        itemCount: paths.length,
        pageCount: Math.ceil(paths.length / perPage),
        items,
      };
    },
  );
}
