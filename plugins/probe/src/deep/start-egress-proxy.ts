import { createServer, type IncomingMessage, request, type ServerResponse } from "node:http";
import { connect, type Socket } from "node:net";
import type { Duplex } from "node:stream";
import { MtxError } from "@mtx-fleet/plugin-api";
import { checkProbeUrl, type ProbeUrlPolicy } from "./check-probe-url.ts";

/** A loopback HTTP proxy that lets ffmpeg reach only what the policy allows. */
export interface EgressProxy extends AsyncDisposable {
  /** `http://127.0.0.1:PORT`, for ffmpeg's `-http_proxy`. */
  readonly url: string;
  /** The refusals so far (a redirect or HLS segment pointing somewhere forbidden). */
  readonly refusals: readonly MtxError[];
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set([
  "connection",
  "proxy-connection",
  "keep-alive",
  "proxy-authorization",
  "te",
  "upgrade",
]);

/**
 * HTTP and HLS readers make requests of their own after the first one: redirects, the playlist's
 * segments (absolute URLs may name any host). ffmpeg sends every one of them through this proxy
 * (`-http_proxy`; the HLS demuxer passes the option on to segments, TLS goes through CONNECT), and
 * the proxy checks each target with the same policy and connects to the address it checked (no
 * second DNS lookup, so no rebinding). A refused request gets 403 and is recorded.
 */
export async function startEgressProxy(
  policy: ProbeUrlPolicy,
  onRefusal?: (error: MtxError) => void,
): Promise<EgressProxy> {
  const refusals: MtxError[] = [];
  const sockets = new Set<Duplex>();
  const track = (s: Duplex) => {
    sockets.add(s);
    s.once("close", () => sockets.delete(s));
  };
  const refused = (e: unknown): MtxError => {
    const error = MtxError.from(e, "MTX_URL_FORBIDDEN");
    refusals.push(error);
    onRefusal?.(error);
    return error;
  };
  const server = createServer(
    (req, res) => void forward(req, res, policy).catch((e) => fail(res, refused(e))),
  );
  server.on("connection", track);
  server.on("connect", (req: IncomingMessage, client: Duplex) => {
    track(client);
    void tunnel(req, client, policy).catch((e: unknown) => {
      refused(e);
      client.end("HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  const close = async (): Promise<void> => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { url: `http://127.0.0.1:${port}`, refusals, close, [Symbol.asyncDispose]: close };
}

function fail(res: ServerResponse, error: MtxError): void {
  if (res.headersSent) return void res.destroy();
  res.writeHead(403, { "content-type": "text/plain; charset=utf-8", connection: "close" });
  res.end(`${error.message}\n`);
}

/** A plain-HTTP request in absolute form (`GET http://host/path`). */
async function forward(req: IncomingMessage, res: ServerResponse, policy: ProbeUrlPolicy): Promise<void> {
  const target = req.url ?? "";
  if (!/^http:\/\//i.test(target)) {
    throw new MtxError("MTX_URL_FORBIDDEN", "the egress proxy only forwards absolute http:// requests");
  }
  const checked = await checkProbeUrl(target, policy);
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = value;
  }
  headers.host = checked.url.host;
  headers.connection = "close";
  const upstream = request({
    host: checked.address,
    port: checked.port ?? 80,
    method: req.method,
    path: `${checked.url.pathname}${checked.url.search}`,
    headers,
  });
  upstream.on("response", (up) => {
    res.writeHead(up.statusCode ?? 502, up.headers);
    up.pipe(res);
  });
  upstream.on("error", () => res.destroy());
  res.on("close", () => upstream.destroy());
  req.pipe(upstream);
}

/** `CONNECT host:port` for https: checked like `https://host:port/`, then a raw tunnel. */
async function tunnel(req: IncomingMessage, client: Duplex, policy: ProbeUrlPolicy): Promise<void> {
  const checked = await checkProbeUrl(`https://${req.url ?? ""}/`, policy);
  const upstream: Socket = connect(checked.port ?? 443, checked.address);
  upstream.once("connect", () => {
    client.write("HTTP/1.1 200 Connection established\r\n\r\n");
    upstream.pipe(client);
    client.pipe(upstream);
  });
  upstream.on("error", () => client.destroy());
  client.on("error", () => upstream.destroy());
  client.on("close", () => upstream.destroy());
}
