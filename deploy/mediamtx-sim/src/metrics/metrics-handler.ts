import type { IncomingMessage, ServerResponse } from "node:http";
import { authorizeRequest } from "../api/authorize-request.ts";
import type { SimCore } from "../runtime/sim-core.ts";
import { isModern } from "../spec/mtx-version.ts";
import { renderMetrics } from "./render-metrics.ts";

const AUTH_DELAY_MAX_MS = 4_000;

/** The metrics server: `GET /metrics`, auth action `metrics`. */
export function metricsHandler(core: SimCore): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://x");
      const auth = await authorizeRequest(core.liveConf, {
        ip: req.socket.remoteAddress ?? "",
        action: "metrics",
        authorization: req.headers.authorization,
      });
      if (auth.kind !== "ok") {
        if (auth.kind === "denied")
          await new Promise((r) => setTimeout(r, Math.random() * AUTH_DELAY_MAX_MS));
        else res.setHeader("WWW-Authenticate", 'Basic realm="mediamtx"');
        const body = isModern(core.version)
          ? JSON.stringify({ status: "error", error: "authentication error" })
          : "";
        res
          .writeHead(401, body === "" ? {} : { "Content-Type": "application/json; charset=utf-8" })
          .end(body);
        return;
      }
      if (req.method !== "GET" || url.pathname !== "/metrics") {
        res.writeHead(404, { "Content-Type": "text/plain" }).end("404 page not found");
        return;
      }
      res
        .writeHead(200, { "Content-Type": "text/plain; charset=utf-8" })
        .end(renderMetrics(core, url.searchParams));
    })();
  };
}
