import type { IncomingMessage, ServerResponse } from "node:http";
import type { FaultStore } from "../control/fault-store.ts";
import type { Logger } from "../log/create-logger.ts";
import type { SimCore } from "../runtime/sim-core.ts";
import { isModern } from "../spec/mtx-version.ts";
import type { ApiReply } from "./api-reply.ts";
import { authorizeRequest } from "./authorize-request.ts";
import type { ResponseObserver } from "./response-observer.ts";
import type { Route } from "./route.ts";

const MAX_BODY_BYTES = 10 * 1024 * 1024;
const AUTH_DELAY_MAX_MS = 4_000;

/** The Control API request handler (gin router + MediaMTX middlewares). */
export class ApiServer {
  readonly #core: SimCore;
  readonly #routes: readonly Route[];
  readonly #faults: FaultStore;
  readonly #observe: ResponseObserver | undefined;
  readonly #log: Logger;

  constructor(options: {
    core: SimCore;
    routes: readonly Route[];
    faults: FaultStore;
    observe?: ResponseObserver;
    log: Logger;
  }) {
    this.#core = options.core;
    this.#routes = options.routes;
    this.#faults = options.faults;
    this.#observe = options.observe;
    this.#log = options.log;
  }

  readonly handler = (req: IncomingMessage, res: ServerResponse): void => {
    this.#handle(req, res).catch((e: unknown) => {
      this.#log.error({ err: String(e) }, "API handler failed");
      if (!res.headersSent)
        this.#send(req, res, undefined, { kind: "error", status: 500, message: "internal error" });
    });
  };

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://x");
    const method = req.method ?? "GET";
    const fault = this.#faults.take(method, url.pathname, url.searchParams);
    if (fault?.kind === "reset") {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === "status") {
      const body =
        typeof fault.body === "string"
          ? fault.body
          : JSON.stringify(fault.body ?? { status: "error", error: "injected fault" });
      res.writeHead(fault.status, { "Content-Type": "application/json; charset=utf-8" }).end(body);
      return;
    }
    if (fault?.kind === "delay") await new Promise((r) => setTimeout(r, fault.delayMs));

    const conf = this.#core.liveConf;
    this.#cors(req, res, conf.global.apiAllowOrigins ?? conf.global.apiAllowOrigin);
    if (method === "OPTIONS" && req.headers["access-control-request-method"] !== undefined) {
      res.writeHead(204, {
        "Access-Control-Allow-Methods": "OPTIONS, GET, POST, PATCH, DELETE",
        "Access-Control-Allow-Headers": "Authorization, Content-Type",
      });
      res.end();
      return;
    }
    const auth = await authorizeRequest(conf, {
      ip: req.socket.remoteAddress ?? "",
      action: "api",
      authorization: req.headers.authorization,
    });
    if (auth.kind !== "ok") {
      if (auth.kind === "denied") await new Promise((r) => setTimeout(r, Math.random() * AUTH_DELAY_MAX_MS));
      else res.setHeader("WWW-Authenticate", 'Basic realm="mediamtx"');
      this.#send(req, res, undefined, { kind: "error", status: 401, message: "authentication error" }, true);
      return;
    }
    let pathname: string;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      res.writeHead(400, { "Content-Type": "text/plain; charset=utf-8" }).end("400 Bad Request");
      return;
    }
    const match = this.#match(method, pathname, conf);
    if (match === undefined && pathname.length > 1 && pathname.endsWith("/")) {
      // gin's RedirectTrailingSlash: 301 for GET, 307 for other methods.
      if (this.#match(method, pathname.slice(0, -1), conf) !== undefined) {
        res.writeHead(method === "GET" ? 301 : 307, { Location: pathname.slice(0, -1) }).end();
        return;
      }
    }
    if (match === undefined) {
      this.#send(req, res, undefined, { kind: "notFoundRoute" });
      return;
    }
    const body = ["POST", "PATCH"].includes(method) ? await readBody(req) : "";
    const reply = await match.route.handle({ param: match.param, query: url.searchParams, body });
    this.#send(req, res, match.route.op, reply);
  }

  #match(
    method: string,
    pathname: string,
    conf: SimCore["liveConf"],
  ): { route: Route; param: string } | undefined {
    for (const route of this.#routes) {
      if (route.method !== method) continue;
      if (route.enabled !== undefined && !route.enabled(conf)) continue;
      if (route.param === "none") {
        if (pathname === route.prefix) return { route, param: "" };
        continue;
      }
      if (!pathname.startsWith(route.prefix)) continue;
      const rest = pathname.slice(route.prefix.length);
      if (route.param === "segment") {
        if (rest !== "" && !rest.includes("/")) return { route, param: rest };
        continue;
      }
      return { route, param: rest };
    }
    return undefined;
  }

  #cors(req: IncomingMessage, res: ServerResponse, allowed: unknown): void {
    const origins = Array.isArray(allowed)
      ? (allowed as string[])
      : typeof allowed === "string"
        ? [allowed]
        : [];
    const origin = req.headers.origin;
    if (origins.includes("*")) res.setHeader("Access-Control-Allow-Origin", "*");
    else if (origin !== undefined && origins.includes(origin))
      res.setHeader("Access-Control-Allow-Origin", origin);
    res.setHeader("Access-Control-Allow-Credentials", "true");
  }

  #send(
    req: IncomingMessage,
    res: ServerResponse,
    op: string | undefined,
    reply: ApiReply,
    isAuth = false,
  ): void {
    const modern = isModern(this.#core.version);
    let status = 200;
    let contentType = "application/json; charset=utf-8";
    let body = "";
    switch (reply.kind) {
      case "json":
        status = reply.status;
        body = JSON.stringify(reply.body);
        break;
      case "ok":
        body = modern ? JSON.stringify({ status: "ok" }) : "";
        if (!modern) contentType = "";
        break;
      case "error":
        status = reply.status;
        if (isAuth && !modern) {
          body = "";
          contentType = "";
        } else {
          body = JSON.stringify(
            modern ? { status: "error", error: reply.message } : { error: reply.message },
          );
        }
        break;
      case "notFoundRoute":
        status = 404;
        contentType = "text/plain";
        body = "404 page not found";
        break;
    }
    const headers: Record<string, string | number> = { "Content-Length": Buffer.byteLength(body) };
    if (contentType !== "") headers["Content-Type"] = contentType;
    res.writeHead(status, headers).end(body);
    this.#observe?.({
      server: "api",
      op,
      method: req.method ?? "GET",
      url: req.url ?? "/",
      status,
      contentType,
      body,
    });
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error("request body too large");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}
