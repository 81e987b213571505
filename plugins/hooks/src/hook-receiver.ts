import { createHash, randomUUID, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { httpStatusForCode, type MediaMtxHook, MtxError } from "@mtx-fleet/plugin-api";
import { HOOK_ROUTE_PREFIX, MAX_BODY_BYTES } from "./hook-defaults.ts";
import { isHookName } from "./hook-wire.ts";

/** What the receiver hands on: the route's hook and the JSON body, not yet validated. */
export type ReceiveHook = (
  hook: MediaMtxHook,
  body: unknown,
  requestId: string,
) => Promise<{ readonly status: number; readonly body: unknown }>;

/** Why a request was refused before it reached `receive` (a metric label). */
export type RefusalReason = "not_found" | "method" | "unauthorized" | "too_large" | "invalid";

export interface HookReceiverOptions {
  readonly host: string;
  readonly port: number;
  readonly token: string;
  readonly receive: ReceiveHook;
  readonly onRefused: (reason: RefusalReason, requestId: string, message: string) => void;
}

/** A listening receiver. */
export interface HookReceiver {
  readonly url: string;
  close(): Promise<void>;
}

const REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/** A fixed-length digest, so comparing tokens takes the same time whatever their lengths. */
const digest = (text: string): Buffer => createHash("sha256").update(text, "utf8").digest();

/**
 * The hook receiver: a small node:http server of the plugin's own (not the agent's local API:
 * MediaMTX may fire hundreds of hooks at once and each must be answered in milliseconds, by
 * a server that lives and dies with this plugin). `POST /v1/mediamtx/events/<hook>` with
 * `Authorization: Bearer <token>`; the answer comes from `receive`, i.e. after the event is
 * durable. Errors are `{code, message, details}` like every MTX Fleet API.
 */
export async function startHookReceiver(options: HookReceiverOptions): Promise<HookReceiver> {
  const expected = digest(options.token);
  const server = createServer((req, res) => {
    const header = req.headers["x-request-id"];
    const requestId = typeof header === "string" && REQUEST_ID.test(header) ? header : randomUUID();
    res.setHeader("x-request-id", requestId);
    handle(req, res, requestId).catch((error: unknown) => sendError(res, MtxError.from(error)));
  });
  // Hooks are tiny and local: a client that takes longer than this is stuck.
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;

  const refuse = (
    res: ServerResponse,
    reason: RefusalReason,
    requestId: string,
    error: MtxError,
    status?: number,
  ) => {
    options.onRefused(reason, requestId, error.message);
    sendError(res, error, status);
  };

  async function handle(req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> {
    const path = (req.url ?? "").split("?")[0] ?? "";
    const name = path.startsWith(HOOK_ROUTE_PREFIX) ? path.slice(HOOK_ROUTE_PREFIX.length) : undefined;
    if (name === undefined || !isHookName(name)) {
      req.resume();
      return refuse(
        res,
        "not_found",
        requestId,
        new MtxError("MTX_NOT_FOUND", `no route ${req.method} ${path}`),
      );
    }
    if (req.method !== "POST") {
      req.resume();
      res.setHeader("allow", "POST");
      return refuse(
        res,
        "method",
        requestId,
        new MtxError("MTX_INVALID_INPUT", `${path} accepts POST only`),
        405,
      );
    }
    const presented = /^Bearer (.+)$/i.exec(req.headers.authorization ?? "")?.[1] ?? "";
    if (!timingSafeEqual(digest(presented), expected)) {
      req.resume();
      return refuse(
        res,
        "unauthorized",
        requestId,
        new MtxError("MTX_UNAUTHORIZED", "this request needs 'Authorization: Bearer <hook token>'"),
      );
    }
    const text = await readBody(req, MAX_BODY_BYTES);
    if (text === undefined) {
      return refuse(
        res,
        "too_large",
        requestId,
        new MtxError("MTX_INVALID_INPUT", `the body is larger than ${MAX_BODY_BYTES} bytes`, {
          details: { maxBytes: MAX_BODY_BYTES },
        }),
        413,
      );
    }
    let body: unknown;
    try {
      body = text === "" ? {} : JSON.parse(text);
    } catch (error) {
      return refuse(
        res,
        "invalid",
        requestId,
        new MtxError("MTX_INVALID_INPUT", `the body is not JSON: ${(error as Error).message}`),
      );
    }
    let answer: { status: number; body: unknown };
    try {
      answer = await options.receive(name, body, requestId);
    } catch (error) {
      const mtx = MtxError.from(error);
      if (mtx.code === "MTX_INVALID_INPUT") return refuse(res, "invalid", requestId, mtx);
      throw mtx;
    }
    send(res, answer.status, answer.body);
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    close: () => closeServer(server),
  };
}

/** The body as text, or undefined once it passes `maxBytes` (the rest is not read). */
function readBody(req: IncomingMessage, maxBytes: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > maxBytes) {
      req.resume();
      return resolve(undefined);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        req.removeAllListeners("data");
        req.resume();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

function sendError(res: ServerResponse, error: MtxError, status = httpStatusForCode(error.code)): void {
  send(res, status, error.toJSON());
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // A wrapper cut off here gets no 2xx and spools: nothing is lost by not waiting.
    server.closeAllConnections();
  });
}
