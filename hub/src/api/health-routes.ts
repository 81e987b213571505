import { MtxError, type Static } from "@mtx-fleet/plugin-api";
import type { FastifyInstance } from "fastify";
import { DEFAULT_PROBE_TIMEOUT_MS, ProbeQuery, ProbeUrlBody, StreamIdParams } from "./api-schemas.ts";
import type { HubApiDeps } from "./create-hub-api.ts";
import { probeHealthOf } from "./probe-health-of.ts";
import { requireCommands } from "./require-commands.ts";
import { requireStreamId } from "./require-stream-id.ts";
import { routeConfig } from "./route-role.ts";

/**
 * `/api/v1/health`: deep probes run on the owning node now (operator). The agent's errors pass
 * through with their codes (MTX_PROBE_TIMEOUT 504, MTX_PROBE_BUSY 429, MTX_URL_FORBIDDEN 403,
 * MTX_UNAVAILABLE 503 when no plugin offers probes); an absent session is MTX_NODE_OFFLINE.
 */
export function registerHealthRoutes(app: FastifyInstance, deps: HubApiDeps): void {
  const { fleet } = deps;
  app.post<{ Params: Static<typeof StreamIdParams>; Querystring: Static<typeof ProbeQuery> }>(
    "/api/v1/health/probe/:id",
    {
      schema: { params: StreamIdParams, querystring: ProbeQuery },
      ...routeConfig("operator", "Deep-probe a stream on its node now and record the verdict", {
        description: "The verdict with its reasons and values",
        schema: "ProbeResult",
      }),
    },
    async (request) => {
      const stream = await fleet.getStream(requireStreamId(request.params.id));
      const result = await requireCommands(deps).send(
        stream.nodeId,
        { case: "probe", value: { pathName: stream.pathName } },
        { timeoutMs: request.query.timeoutMs },
      );
      const health = probeHealthOf(result) ?? null;
      // Recorded at once: the API shows the verdict before the agent's next telemetry.
      const view = health === null ? stream : await fleet.recordStreamHealth(stream.id, health);
      return {
        streamId: stream.id,
        nodeId: stream.nodeId,
        pathName: stream.pathName,
        status: view.status,
        health,
        result,
      };
    },
  );
  app.post<{ Body: Static<typeof ProbeUrlBody> }>(
    "/api/v1/health/probe-url",
    {
      schema: { body: ProbeUrlBody },
      ...routeConfig("operator", "Deep-probe any URL from a node (its agent decides what it may reach)", {
        description: "What the node measured",
        schema: "ProbeUrlResult",
      }),
    },
    async (request) => {
      const { nodeId, url, timeoutMs = DEFAULT_PROBE_TIMEOUT_MS } = request.body;
      checkUrl(url);
      await fleet.getNode(nodeId);
      const result = await requireCommands(deps).send(
        nodeId,
        { case: "probeUrl", value: { url } },
        { timeoutMs },
      );
      return { nodeId, url, health: probeHealthOf(result) ?? null, result };
    },
  );
}

/** Syntax only: whether the node may reach the URL is the agent's rule (MTX_URL_FORBIDDEN). */
function checkUrl(url: string): void {
  let host = "";
  try {
    host = new URL(url).host;
  } catch {
    // reported below
  }
  if (host === "") {
    throw new MtxError("MTX_INVALID_INPUT", "body.url is not a URL with a host", {
      details: { issues: [{ path: "body.url", message: "body.url must be an absolute URL with a host" }] },
    });
  }
}
