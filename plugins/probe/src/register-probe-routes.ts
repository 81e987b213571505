import { MtxError, type PluginHttp, type PluginHttpResponse } from "@mtx-fleet/plugin-api";
import type { ProbeOperations } from "./probe-operations.ts";
import type { StreamMonitor } from "./stream-monitor.ts";
import type { ThumbnailStore } from "./thumbnail-store.ts";

function requirePath(query: Readonly<Record<string, string>>): string {
  const path = query.path;
  if (path === undefined || path === "") {
    throw new MtxError("MTX_INVALID_INPUT", "query parameter 'path' is required (e.g. ?path=cam/1)", {
      details: { issues: [{ path: "path", message: "path is required" }] },
    });
  }
  return path;
}

function jpeg(body: Buffer, takenAt: number): PluginHttpResponse {
  return {
    body,
    headers: {
      "content-type": "image/jpeg",
      "cache-control": "no-cache",
      "last-modified": new Date(takenAt).toUTCString(),
      "x-mtx-taken-at": String(Math.round(takenAt)),
    },
  };
}

/**
 * The probe's routes on the agent's local API, under `/api/v1/plugins/probe/x/`. Path names
 * hold slashes, so a stream is named by `?path=` (plugin routes match whole paths). Writes (the
 * POSTs) need the agent token; the host checks it before calling these.
 */
export function registerProbeRoutes(
  http: PluginHttp,
  deps: {
    readonly monitor: StreamMonitor;
    readonly operations: ProbeOperations;
    readonly thumbnails: ThumbnailStore;
  },
): void {
  const { monitor, operations, thumbnails } = deps;
  http.route("GET", "/streams", () => ({
    body: { items: monitor.paths().flatMap((path) => monitor.report(path) ?? []) },
  }));
  http.route("GET", "/stream", (request) => {
    const path = requirePath(request.query);
    const report = monitor.report(path);
    if (report === undefined)
      throw new MtxError("MTX_NOT_FOUND", `MediaMTX lists no path '${path}'`, { details: { path } });
    return { body: report };
  });
  http.route("POST", "/probe", async (request) => ({ body: await operations.probePath(request.body) }));
  http.route("GET", "/thumbnail", async (request) => {
    const path = requirePath(request.query);
    const stored = await thumbnails.get(path);
    if (stored === undefined) {
      throw new MtxError("MTX_NOT_FOUND", `no thumbnail of '${path}' yet (POST /thumbnail takes one)`, {
        details: { path },
      });
    }
    return jpeg(stored.jpeg, stored.takenAt);
  });
  http.route("POST", "/thumbnail", async (request) => {
    const body = typeof request.body === "object" && request.body !== null ? request.body : {};
    const answer = await operations.thumbnail({ ...body, fresh: true });
    return jpeg(Buffer.from(answer.dataBase64, "base64"), answer.takenAt);
  });
  http.route("POST", "/probe-url", async (request) => ({ body: await operations.probeUrl(request.body) }));
}
