import type { Static } from "@mtx-fleet/plugin-api";
import type { FastifyInstance } from "fastify";
import { CreateTokenBody, LoginBody } from "./api-schemas.ts";
import type { HubApiDeps } from "./create-hub-api.ts";
import { principalOf } from "./principal-of.ts";
import { routeConfig } from "./route-role.ts";

/** `/api/v1/auth`: login (public) and API tokens (admin). */
export function registerAuthRoutes(app: FastifyInstance, deps: HubApiDeps): void {
  app.post<{ Body: Static<typeof LoginBody> }>(
    "/api/v1/auth/login",
    { schema: { body: LoginBody }, ...routeConfig("public", "Log in; returns a bearer token") },
    async (request) => deps.auth.login(request.body.username, request.body.password),
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
