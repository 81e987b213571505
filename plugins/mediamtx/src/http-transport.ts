import { MtxError, type MtxErrorCode } from "@mtx-fleet/plugin-api";
import { type RequestKind, responseError } from "./response-error.ts";

/** How the client talks HTTP to one MediaMTX API listener. */
export interface HttpTransportOptions {
  readonly baseUrl: string;
  readonly username?: string | undefined;
  readonly password?: string | undefined;
  readonly timeoutMs: number;
  /** Aborts every request of this transport. */
  readonly signal?: AbortSignal | undefined;
  readonly fetch: typeof globalThis.fetch;
}

/** One Control API call. `route` is already encoded (`/v3/config/paths/get/cam%281%29`). */
export interface HttpRequest {
  readonly method: "GET" | "POST" | "PATCH" | "DELETE";
  readonly route: string;
  readonly query?: Readonly<Record<string, string>> | undefined;
  readonly body?: unknown;
  readonly kind: RequestKind;
  /** Code for a plain-text 404 (route not registered); default MTX_MEDIAMTX_BAD_RESPONSE. */
  readonly plainNotFound?: MtxErrorCode | undefined;
  readonly signal?: AbortSignal | undefined;
}

/** Sends a request; resolves to the parsed JSON body, or `undefined` for an empty body. */
export type HttpTransport = (req: HttpRequest) => Promise<unknown>;

/** Creates the transport: basic auth, per-request timeout, status → MtxError mapping. */
export function createHttpTransport(options: HttpTransportOptions): HttpTransport {
  const base = options.baseUrl.replace(/\/+$/, "");
  const auth =
    options.username === undefined
      ? undefined
      : `Basic ${Buffer.from(`${options.username}:${options.password ?? ""}`).toString("base64")}`;

  return async (req) => {
    const search = req.query === undefined ? "" : `?${new URLSearchParams(req.query).toString()}`;
    const routeWithQuery = `${req.route}${search}`;
    const timeout = AbortSignal.timeout(options.timeoutMs);
    const callerSignals = [options.signal, req.signal].filter((s): s is AbortSignal => s !== undefined);
    const headers: Record<string, string> = { accept: "application/json" };
    if (auth !== undefined) headers.authorization = auth;
    if (req.body !== undefined) headers["content-type"] = "application/json";

    let status: number;
    let text: string;
    try {
      const res = await options.fetch(`${base}${routeWithQuery}`, {
        method: req.method,
        headers,
        signal: AbortSignal.any([timeout, ...callerSignals]),
        ...(req.body === undefined ? {} : { body: JSON.stringify(req.body) }),
      });
      status = res.status;
      text = await res.text();
    } catch (e) {
      const aborted = callerSignals.find((s) => s.aborted);
      if (aborted !== undefined) throw aborted.reason;
      const details = { method: req.method, route: routeWithQuery, baseUrl: base };
      if (timeout.aborted) {
        throw new MtxError(
          "MTX_MEDIAMTX_TIMEOUT",
          `MediaMTX did not answer ${req.method} ${routeWithQuery} within ${options.timeoutMs} ms`,
          { details: { ...details, timeoutMs: options.timeoutMs }, cause: e },
        );
      }
      throw new MtxError(
        "MTX_MEDIAMTX_UNREACHABLE",
        `cannot reach MediaMTX at ${base} (${req.method} ${routeWithQuery}): ${networkReason(e)}`,
        { details, cause: e },
      );
    }

    if (status < 200 || status > 299) {
      throw responseError(
        {
          method: req.method,
          route: routeWithQuery,
          kind: req.kind,
          plainNotFound: req.plainNotFound ?? "MTX_MEDIAMTX_BAD_RESPONSE",
        },
        status,
        text,
      );
    }
    if (text.trim() === "") return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch (e) {
      throw new MtxError(
        "MTX_MEDIAMTX_BAD_RESPONSE",
        `MediaMTX answered ${req.method} ${routeWithQuery} with non-JSON`,
        {
          details: { method: req.method, route: routeWithQuery, status, bodyStart: text.slice(0, 200) },
          cause: e,
        },
      );
    }
  };
}

/** `ECONNREFUSED`, `ECONNRESET`, ... from undici's `fetch failed` chain. */
function networkReason(e: unknown): string {
  let current: unknown = e;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const code = (current as Error & { code?: unknown }).code;
    if (typeof code === "string" && code !== "") return `${code} (${current.message})`;
    current = current.cause;
  }
  return e instanceof Error ? e.message : String(e);
}
