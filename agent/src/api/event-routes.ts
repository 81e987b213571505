import { Type } from "@mtx-fleet/plugin-api";
import type { FastifyInstance } from "fastify";
import type { LocalApiDeps } from "./create-local-api.ts";

const EventsQuery = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 50 }),
    before: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
);

/** `/api/v1/events`: recent events from the outbox, newest first, paged by `before=<seq>`. */
export function registerEventRoutes(app: FastifyInstance, deps: LocalApiDeps): void {
  app.get<{ Querystring: { limit: number; before?: number } }>(
    "/api/v1/events",
    { schema: { querystring: EventsQuery } },
    async (request) => {
      const { limit, before } = request.query;
      const items = await deps.outbox.recent({
        limit,
        ...(before === undefined ? {} : { beforeSeq: before }),
      });
      const last = items.at(-1);
      return {
        items,
        next:
          items.length === limit && last !== undefined
            ? `/api/v1/events?limit=${limit}&before=${last.seq}`
            : null,
        stats: deps.outbox.stats(),
      };
    },
  );
}
