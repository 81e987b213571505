import { MtxError, type Static } from "@mtx-fleet/plugin-api";
import type { FastifyInstance } from "fastify";
import { parseStreamId } from "../fleet/stream-id-for.ts";
import { StreamIdParams, StreamsQuery } from "./api-schemas.ts";
import type { HubApiDeps } from "./create-hub-api.ts";
import { routeConfig } from "./route-role.ts";

/** `/api/v1/streams`: the fleet's streams, paged, by stable id. */
export function registerStreamRoutes(app: FastifyInstance, deps: HubApiDeps): void {
  const { fleet } = deps;
  app.get<{ Querystring: Static<typeof StreamsQuery> }>(
    "/api/v1/streams",
    {
      schema: { querystring: StreamsQuery },
      ...routeConfig("viewer", "Streams (filter by node, environment, status)"),
    },
    async (request) => {
      const { node, environment, status, page, perPage } = request.query;
      return fleet.listStreams(
        {
          ...(node === undefined ? {} : { nodeId: node }),
          ...(environment === undefined ? {} : { environment }),
          ...(status === undefined ? {} : { status }),
        },
        { page, perPage },
      );
    },
  );
  app.get<{ Params: Static<typeof StreamIdParams> }>(
    "/api/v1/streams/:id",
    { schema: { params: StreamIdParams }, ...routeConfig("viewer", "One stream by its stable id") },
    async (request) => {
      if (parseStreamId(request.params.id) === undefined) {
        throw new MtxError("MTX_INVALID_INPUT", `'${request.params.id.slice(0, 64)}' is not a stream id`, {
          details: {
            issues: [
              {
                path: "params.id",
                message: "params.id is not a stream id (take one from GET /api/v1/streams)",
              },
            ],
          },
        });
      }
      return fleet.getStream(request.params.id);
    },
  );
}
