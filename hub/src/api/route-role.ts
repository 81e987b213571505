import type { Role } from "../store/hub-records.ts";

/** Who may call a route: anyone ("public"), or a token of at least this role. */
export type RouteRole = Role | "public";

/** What a route answers on success, for the OpenAPI document (JSON unless `contentType` says). */
export interface RouteResponseDoc {
  readonly description: string;
  /** A component schema name (`Stream`) or an inline schema. */
  readonly schema?: string | Readonly<Record<string, unknown>>;
  readonly contentType?: string;
}

/** The route `config` the hub API reads; routes without one need a viewer token. */
export interface HubRouteConfig {
  readonly role?: RouteRole;
  readonly summary?: string;
  readonly response?: RouteResponseDoc;
}

/** Route options `config` for a role (keeps route definitions short). */
export function routeConfig(
  role: RouteRole,
  summary: string,
  response?: RouteResponseDoc,
): { config: HubRouteConfig } {
  return { config: { role, summary, ...(response === undefined ? {} : { response }) } };
}
