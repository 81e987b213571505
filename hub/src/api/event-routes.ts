import type { Static } from "@mtx-fleet/plugin-api";
import type { FastifyInstance } from "fastify";
import { EventsQuery } from "./api-schemas.ts";
import type { HubApiDeps } from "./create-hub-api.ts";
import { routeConfig } from "./route-role.ts";

/** `/api/v1/events`: the recent events of the fleet (deduplicated by id), oldest first, paged. */
export function registerEventRoutes(app: FastifyInstance, deps: HubApiDeps): void {
  const { fleet } = deps;
  app.get<{ Querystring: Static<typeof EventsQuery> }>(
    "/api/v1/events",
    {
      schema: { querystring: EventsQuery },
      ...routeConfig("viewer", "Recent events (filter by node, kind, since)"),
    },
    async (request) => {
      const { node, kind, since, page, perPage } = request.query;
      return fleet.listEvents(
        {
          ...(node === undefined ? {} : { nodeId: node }),
          ...(kind === undefined ? {} : { kind }),
          ...(since === undefined ? {} : { sinceMs: Date.parse(since) }),
        },
        { page, perPage },
      );
    },
  );
}
