import type { RouteOptions } from "fastify";
import type { HubRouteConfig, RouteResponseDoc } from "./route-role.ts";
import { STREAM_DOC_SCHEMAS } from "./stream-doc-schemas.ts";

type JsonObject = Record<string, unknown>;

/** What the OpenAPI builder keeps of a route. */
export interface DocumentedRoute {
  readonly method: string;
  readonly url: string;
  readonly schema: JsonObject;
  readonly config: HubRouteConfig;
}

const ERROR_RESPONSE = {
  description: "Error as {code, message, details}",
  content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
};

/** A route as `onRoute` reports it, reduced to what the document needs (HEAD routes dropped). */
export function documentedRoutes(route: RouteOptions): DocumentedRoute[] {
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  return methods
    .filter((method) => method !== "HEAD")
    .map((method) => ({
      method: method.toLowerCase(),
      url: route.url.replace(/:([A-Za-z0-9_]+)/g, "{$1}"),
      schema: JSON.parse(JSON.stringify(route.schema ?? {})) as JsonObject,
      config: (route.config ?? {}) as HubRouteConfig,
    }));
}

function parameters(schema: JsonObject | undefined, where: "path" | "query"): JsonObject[] {
  const properties = (schema?.properties ?? {}) as Record<string, JsonObject>;
  const required = new Set((schema?.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: where,
    required: where === "path" || required.has(name),
    ...(typeof property.description === "string" ? { description: property.description } : {}),
    schema: property,
  }));
}

function operation(route: DocumentedRoute): JsonObject {
  const { schema, config } = route;
  const body = schema.body as JsonObject | undefined;
  return {
    summary: config.summary ?? `${route.method.toUpperCase()} ${route.url}`,
    tags: [route.url.split("/")[3] ?? "hub"],
    ...(config.role === "public" ? { security: [] } : { "x-mtx-role": config.role ?? "viewer" }),
    parameters: [
      ...parameters(schema.params as JsonObject | undefined, "path"),
      ...parameters(schema.querystring as JsonObject | undefined, "query"),
    ],
    ...(body === undefined
      ? {}
      : { requestBody: { required: true, content: { "application/json": { schema: body } } } }),
    responses: { "200": success(config.response), "4XX": ERROR_RESPONSE, "5XX": ERROR_RESPONSE },
  };
}

function success(response: RouteResponseDoc | undefined): JsonObject {
  if (response?.schema === undefined) return { description: response?.description ?? "Success" };
  const schema =
    typeof response.schema === "string"
      ? { $ref: `#/components/schemas/${response.schema}` }
      : response.schema;
  return {
    description: response.description,
    content: { [response.contentType ?? "application/json"]: { schema } },
  };
}

/** The OpenAPI 3 document of the hub API, built from the routes' own validation schemas. */
export function openApiDocument(routes: readonly DocumentedRoute[], version: string): JsonObject {
  const paths: Record<string, Record<string, JsonObject>> = {};
  for (const route of routes) {
    paths[route.url] ??= {};
    (paths[route.url] as Record<string, JsonObject>)[route.method] = operation(route);
  }
  return {
    openapi: "3.0.3",
    info: { title: "MTX Fleet hub API", version },
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
      schemas: {
        Error: {
          type: "object",
          required: ["code", "message"],
          properties: { code: { type: "string" }, message: { type: "string" }, details: { type: "object" } },
        },
        ...STREAM_DOC_SCHEMAS,
      },
    },
  };
}
