import { MtxError, type Static } from "@mtx-fleet/plugin-api";
import type { FastifyInstance } from "fastify";
import { roleAllows } from "../auth/role-allows.ts";
import { StreamIdParams, StreamsQuery, ThumbnailQuery } from "./api-schemas.ts";
import type { HubApiDeps } from "./create-hub-api.ts";
import { principalOf } from "./principal-of.ts";
import { requireCommands } from "./require-commands.ts";
import { requireStreamId } from "./require-stream-id.ts";
import { routeConfig } from "./route-role.ts";
import { ThumbnailCache } from "./thumbnail-cache.ts";
import { thumbnailOf } from "./thumbnail-of.ts";

/**
 * The agent's deadline for a thumbnail (a fresh one means reading the stream for a frame):
 * past the probe plugin's own limit (15 s by default), so its MTX_PROBE_TIMEOUT comes back.
 */
export const THUMBNAIL_TIMEOUT_MS = 20_000;

/** `/api/v1/streams`: the fleet's streams with their verdicts, paged, by stable id; thumbnails. */
export function registerStreamRoutes(app: FastifyInstance, deps: HubApiDeps): void {
  const { fleet } = deps;
  const thumbnails = new ThumbnailCache();
  app.get<{ Querystring: Static<typeof StreamsQuery> }>(
    "/api/v1/streams",
    {
      schema: { querystring: StreamsQuery },
      ...routeConfig(
        "viewer",
        "Streams with their verdicts (filter by node, environment, status, availability)",
        {
          description: "One page of streams",
          schema: "StreamPage",
        },
      ),
    },
    async (request) => {
      const { node, environment, status, availability, page, perPage } = request.query;
      return fleet.listStreams(
        {
          ...(node === undefined ? {} : { nodeId: node }),
          ...(environment === undefined ? {} : { environment }),
          ...(status === undefined ? {} : { status }),
          ...(availability === undefined ? {} : { availability }),
        },
        { page, perPage },
      );
    },
  );
  app.get<{ Params: Static<typeof StreamIdParams> }>(
    "/api/v1/streams/:id",
    {
      schema: { params: StreamIdParams },
      ...routeConfig("viewer", "One stream by its stable id", {
        description: "The stream",
        schema: "Stream",
      }),
    },
    async (request) => fleet.getStream(requireStreamId(request.params.id)),
  );
  app.get<{ Params: Static<typeof StreamIdParams>; Querystring: Static<typeof ThumbnailQuery> }>(
    "/api/v1/streams/:id/thumbnail",
    {
      schema: { params: StreamIdParams, querystring: ThumbnailQuery },
      ...routeConfig(
        "viewer",
        "The stream's latest thumbnail from its node (fresh=true: a new one, operator)",
        {
          description: "The picture (cached for a few seconds)",
          contentType: "image/jpeg",
          schema: { type: "string", format: "binary" },
        },
      ),
    },
    async (request, reply) => {
      const { fresh } = request.query;
      const stream = await fleet.getStream(requireStreamId(request.params.id));
      const { role } = principalOf(request);
      if (fresh && !roleAllows(role, "operator")) {
        throw new MtxError("MTX_FORBIDDEN", `fresh=true needs the operator role; the token has ${role}`, {
          details: { needed: "operator", role },
        });
      }
      const thumbnail = await thumbnails.get(
        stream.id,
        async (takeNew) =>
          thumbnailOf(
            await requireCommands(deps).send(
              stream.nodeId,
              { case: "thumbnail", value: { pathName: stream.pathName, fresh: takeNew } },
              { timeoutMs: THUMBNAIL_TIMEOUT_MS },
            ),
          ),
        fresh,
      );
      return reply
        .type(thumbnail.contentType)
        .header("cache-control", `private, max-age=${Math.floor(thumbnail.maxAgeMs / 1000)}`)
        .header("x-mtx-taken-at", thumbnail.takenAt ?? "unknown")
        .send(thumbnail.data);
    },
  );
}
