import { MtxError } from "@mtx-fleet/plugin-api";
import type { FastifyRequest } from "fastify";
import type { Principal } from "../auth/auth-service.ts";

const principals = new WeakMap<FastifyRequest, Principal>();

/** Remembers who an authenticated request acts as (set by the auth hook). */
export function setPrincipal(request: FastifyRequest, principal: Principal): void {
  principals.set(request, principal);
}

/** Who the request acts as; only on routes that are not public. */
export function principalOf(request: FastifyRequest): Principal {
  const principal = principals.get(request);
  if (principal === undefined) throw new MtxError("MTX_INTERNAL", "route has no authenticated principal");
  return principal;
}
