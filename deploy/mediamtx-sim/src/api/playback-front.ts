import type { IncomingMessage, ServerResponse } from "node:http";
import { authorizeRequest } from "../api/authorize-request.ts";
import type { ResponseObserver } from "../api/response-observer.ts";
import type { SimCore } from "../runtime/sim-core.ts";

const AUTH_DELAY_MAX_MS = 4_000;
const OPS = new Set(["/list", "/get"]);

/**
 * Puts MediaMTX's playback-server duties around the playback lib's handler: auth action
 * `playback` (with the path), and response capture for `--validate-responses`.
 */
export function playbackFront(
  core: SimCore,
  inner: (req: IncomingMessage, res: ServerResponse) => void,
  observe: ResponseObserver | undefined,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://x");
      const auth = await authorizeRequest(core.liveConf, {
        ip: req.socket.remoteAddress ?? "",
        action: "playback",
        path: url.searchParams.get("path") ?? "",
        authorization: req.headers.authorization,
      });
      if (auth.kind !== "ok") {
        if (auth.kind === "denied")
          await new Promise((r) => setTimeout(r, Math.random() * AUTH_DELAY_MAX_MS));
        else res.setHeader("WWW-Authenticate", 'Basic realm="mediamtx"');
        res
          .writeHead(401, { "Content-Type": "application/json; charset=utf-8" })
          .end(JSON.stringify({ status: "error", error: "authentication error" }));
        return;
      }
      if (observe !== undefined && OPS.has(url.pathname)) capture(req, res, url.pathname, observe);
      inner(req, res);
    })();
  };
}

/** Records JSON responses (media bodies are skipped) once they end. */
function capture(req: IncomingMessage, res: ServerResponse, op: string, observe: ResponseObserver): void {
  const chunks: Buffer[] = [];
  const write = res.write.bind(res);
  const end = res.end.bind(res);
  const keep = (chunk: unknown): void => {
    const type = String(res.getHeader("content-type") ?? "");
    if (chunk !== undefined && chunk !== null && typeof chunk !== "function" && type.includes("json")) {
      chunks.push(Buffer.from(chunk as string | Uint8Array));
    }
  };
  res.write = ((chunk: unknown, ...rest: unknown[]) => {
    keep(chunk);
    return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof res.write;
  res.end = ((chunk?: unknown, ...rest: unknown[]) => {
    keep(chunk);
    const type = String(res.getHeader("content-type") ?? "");
    if (type.includes("json")) {
      observe({
        server: "playback",
        op,
        method: req.method ?? "GET",
        url: req.url ?? "/",
        status: res.statusCode,
        contentType: type,
        body: Buffer.concat(chunks).toString("utf8"),
      });
    }
    return (end as (...a: unknown[]) => ServerResponse)(chunk, ...rest);
  }) as typeof res.end;
}
