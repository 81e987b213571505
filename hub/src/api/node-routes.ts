import { MtxError, type Static } from "@mtx-fleet/plugin-api";
import type { FastifyInstance } from "fastify";
import { CreateNodeBody, NodeIdParams, NodesQuery } from "./api-schemas.ts";
import type { HubApiDeps } from "./create-hub-api.ts";
import { requireCommands } from "./require-commands.ts";
import { routeConfig } from "./route-role.ts";

type IdRoute = { Params: Static<typeof NodeIdParams> };

function labelFilter(pairs: readonly string[] | undefined): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const pair of pairs ?? []) {
    const at = pair.indexOf("=");
    labels[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return labels;
}

/** `/api/v1/fleet`: nodes, enrolment tokens and sync commands. */
export function registerNodeRoutes(app: FastifyInstance, deps: HubApiDeps): void {
  const { fleet } = deps;
  app.get<{ Querystring: Static<typeof NodesQuery> }>(
    "/api/v1/fleet/nodes",
    {
      schema: { querystring: NodesQuery },
      ...routeConfig("viewer", "List nodes (filter by environment, label=k=v)"),
    },
    async (request) => {
      const { environment, label } = request.query;
      const items = await fleet.listNodes({
        ...(environment === undefined ? {} : { environment }),
        labels: labelFilter(label),
      });
      return { itemCount: items.length, items };
    },
  );
  app.post<{ Body: Static<typeof CreateNodeBody> }>(
    "/api/v1/fleet/nodes",
    {
      schema: { body: CreateNodeBody },
      ...routeConfig(
        "admin",
        "Create a node: an agent node gets a one-time enrolment token; apiUrl makes it agentless",
      ),
    },
    async (request, reply) => reply.status(201).send(await fleet.createNode(request.body)),
  );
  app.get<IdRoute>(
    "/api/v1/fleet/nodes/:id",
    { schema: { params: NodeIdParams }, ...routeConfig("viewer", "One node") },
    async (request) => fleet.getNode(request.params.id),
  );
  app.delete<IdRoute>(
    "/api/v1/fleet/nodes/:id",
    {
      schema: { params: NodeIdParams },
      ...routeConfig("admin", "Delete a node and everything the hub holds of it"),
    },
    async (request, reply) => {
      await fleet.deleteNode(request.params.id);
      return reply.status(204).send();
    },
  );
  app.post<IdRoute>(
    "/api/v1/fleet/nodes/:id/enrol-token",
    {
      schema: { params: NodeIdParams },
      ...routeConfig("admin", "A new one-time enrolment token for an agent node"),
    },
    async (request, reply) => reply.status(201).send(await fleet.issueEnrolToken(request.params.id)),
  );
  app.post<IdRoute>(
    "/api/v1/fleet/nodes/:id/sync",
    { schema: { params: NodeIdParams }, ...routeConfig("operator", "Ask the node for a full telemetry now") },
    async (request) => {
      await fleet.getNode(request.params.id);
      const result = await requireCommands(deps).sync(request.params.id);
      return { nodeId: request.params.id, result };
    },
  );
  app.post(
    "/api/v1/fleet/sync-all",
    routeConfig("operator", "Ask every node for a full telemetry now; one result per node"),
    async () => {
      const commands = requireCommands(deps);
      const nodes = await fleet.listNodes();
      const results = await Promise.all(
        nodes.map(async (node) => {
          try {
            return { nodeId: node.id, ok: true, result: await commands.sync(node.id) };
          } catch (error) {
            return { nodeId: node.id, ok: false, error: MtxError.from(error).toJSON() };
          }
        }),
      );
      return { itemCount: results.length, items: results };
    },
  );
}
