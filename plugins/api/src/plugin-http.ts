/** A request to a plugin's HTTP route, already parsed by the agent's local API. */
export interface PluginHttpRequest {
  readonly method: string;
  /** The path below the plugin's prefix, e.g. `/thumbnails/cam1`. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly body: unknown;
  readonly requestId: string;
}

/** What a route handler returns; `body` is sent as JSON unless it is a Buffer. */
export interface PluginHttpResponse {
  readonly status?: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export type PluginRouteHandler = (
  request: PluginHttpRequest,
) => PluginHttpResponse | Promise<PluginHttpResponse>;

/**
 * Routes a plugin adds to the agent's local API under `/api/v1/plugins/<plugin>/`. Writes
 * (anything but GET/HEAD) need the API token; the host checks it before calling the handler.
 * Routes vanish when the plugin stops.
 */
export interface PluginHttp {
  route(method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE", path: string, handler: PluginRouteHandler): void;
}
