import { type Static, Type } from "@mtx-fleet/plugin-api";
import type { FastifyInstance } from "fastify";
import { CreateTokenBody, LoginBody } from "./api-schemas.ts";
import type { HubApiDeps } from "./create-hub-api.ts";
import { principalOf } from "./principal-of.ts";
import { routeConfig } from "./route-role.ts";

// Kept here rather than in api-schemas.ts: only these routes use it.
const TokenIdParams = Type.Object(
  { id: Type.String({ pattern: "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$" }) },
  { additionalProperties: false },
);

/** `/api/v1/auth`: login (public) and API tokens (admin: create, list, revoke). */
export function registerAuthRoutes(app: FastifyInstance, deps: HubApiDeps): void {
  app.post<{ Body: Static<typeof LoginBody> }>(
    "/api/v1/auth/login",
    { schema: { body: LoginBody }, ...routeConfig("public", "Log in; returns a bearer token") },
    async (request) => deps.auth.login(request.body.username, request.body.password, request.ip),
  );
  app.get(
    "/api/v1/auth/tokens",
    routeConfig("admin", "List API tokens (logins included), oldest first; never their secrets"),
    async () => {
      const items = await deps.auth.listTokens();
      return { itemCount: items.length, items };
    },
  );
  app.delete<{ Params: Static<typeof TokenIdParams> }>(
    "/api/v1/auth/tokens/:id",
    { schema: { params: TokenIdParams }, ...routeConfig("admin", "Revoke an API token at once") },
    async (request, reply) => {
      await deps.auth.revokeToken(request.params.id);
      deps.logger.info({ requestId: request.id, tokenId: request.params.id }, "API token revoked");
      return reply.status(204).send();
    },
  );
  app.post<{ Body: Static<typeof CreateTokenBody> }>(
    "/api/v1/auth/tokens",
    { schema: { body: CreateTokenBody }, ...routeConfig("admin", "Create an API token with a role") },
    async (request, reply) => {
      const { name, role, ttlMs } = request.body;
      const issued = await deps.auth.createToken({
        name,
        role,
        username: principalOf(request).username,
        ...(ttlMs === undefined ? {} : { ttlMs }),
      });
      deps.logger.info({ requestId: request.id, tokenId: issued.id, name, role }, "API token created");
      return reply.status(201).send(issued);
    },
  );
}
