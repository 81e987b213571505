import type { Conf } from "../config/conf.ts";
import type { ApiReply } from "./api-reply.ts";

/** What a handler gets from the request. */
export interface RouteRequest {
  /** The `:id` or `*name` parameter (catch-all without its leading slash), `""` if none. */
  readonly param: string;
  readonly query: URLSearchParams;
  /** The raw request body. */
  readonly body: string;
}

/** One gin route of the Control API. */
export interface Route {
  readonly method: "GET" | "POST" | "PATCH" | "DELETE";
  /** The OpenAPI path template, used for response validation (`/v3/paths/get/{name}`). */
  readonly op: string;
  /** Route prefix; with `param` the rest of the URL path is the parameter. */
  readonly prefix: string;
  readonly param: "none" | "segment" | "catchall";
  /** A route of a disabled server is not registered (gin 404). */
  readonly enabled?: (conf: Conf) => boolean;
  readonly handle: (req: RouteRequest) => ApiReply | Promise<ApiReply>;
}
