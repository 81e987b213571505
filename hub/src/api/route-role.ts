import type { Role } from "../store/hub-records.ts";

/** Who may call a route: anyone ("public"), or a token of at least this role. */
export type RouteRole = Role | "public";

/** The route `config` the hub API reads; routes without one need a viewer token. */
export interface HubRouteConfig {
  readonly role?: RouteRole;
  readonly summary?: string;
}

/** Route options `config` for a role (keeps route definitions short). */
export function routeConfig(role: RouteRole, summary: string): { config: HubRouteConfig } {
  return { config: { role, summary } };
}
