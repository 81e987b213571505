import type { CallOptions, MtxServerInfo } from "./client-core.ts";
import { createClientCore } from "./client-core.ts";
import { type ConfigApi, createConfigApi } from "./config-api.ts";
import { type ConnectionApi, createConnectionApi } from "./connection-api.ts";
import { DEFAULT_ITEMS_PER_PAGE, DEFAULT_TIMEOUT_MS } from "./defaults.ts";
import { createHttpTransport, type HttpRequest } from "./http-transport.ts";
import { createRuntimeApi, type RuntimeApi } from "./runtime-api.ts";

/** Options of {@link createMediaMtxClient}. */
export interface MediaMtxClientOptions {
  /** The Control API listener, e.g. `http://127.0.0.1:9997`. */
  readonly baseUrl: string;
  /** Basic-auth user with the `api` permission (none: no Authorization header). */
  readonly username?: string | undefined;
  readonly password?: string | undefined;
  /** Per HTTP request, body included. */
  readonly timeoutMs?: number | undefined;
  /** Page size of every `/list` walk. */
  readonly itemsPerPage?: number | undefined;
  /** Aborts every request of this client. */
  readonly signal?: AbortSignal | undefined;
  /** A `fetch` implementation (default: the global one). */
  readonly fetch?: typeof globalThis.fetch | undefined;
}

/** A raw Control API call (for routes this client does not wrap). */
export type RawRequest = Omit<HttpRequest, "plainNotFound">;

/**
 * A typed MediaMTX Control API client for nodes from v1.9.3 to v1.20.x. Every value it
 * returns is normalised to current field names and frozen; every failure is an MtxError with
 * an `MTX_MEDIAMTX_*` code.
 */
export interface MediaMtxClient extends ConfigApi, RuntimeApi, ConnectionApi {
  readonly baseUrl: string;
  /** Version and features (`GET /v3/info`, cached; `refresh: true` asks again). */
  info(options?: CallOptions & { readonly refresh?: boolean }): Promise<MtxServerInfo>;
  /** Sends any request with the client's auth, timeout and error mapping; returns the JSON body. */
  raw(request: RawRequest): Promise<unknown>;
}

/** Creates a client; it does not contact MediaMTX until the first call. */
export function createMediaMtxClient({
  baseUrl,
  username,
  password,
  timeoutMs = DEFAULT_TIMEOUT_MS,
  itemsPerPage = DEFAULT_ITEMS_PER_PAGE,
  signal,
  fetch = globalThis.fetch,
}: MediaMtxClientOptions): MediaMtxClient {
  const send = createHttpTransport({ baseUrl, username, password, timeoutMs, signal, fetch });
  const core = createClientCore(send, itemsPerPage);
  return Object.freeze({
    baseUrl,
    info: (options?: CallOptions & { readonly refresh?: boolean }) => core.serverInfo(options),
    raw: (request: RawRequest) => send(request),
    ...createConfigApi(core),
    ...createRuntimeApi(core),
    ...createConnectionApi(core),
  });
}
