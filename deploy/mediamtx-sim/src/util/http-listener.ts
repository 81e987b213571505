import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Server as NetServer, Socket } from "node:net";

/** A listening HTTP server. */
export interface HttpListener {
  readonly address: string;
  /** `http://host:port` with the real port (wildcard hosts shown as 127.0.0.1). */
  readonly url: string;
  close(): Promise<void>;
}

/** Splits a Go listen address (`:9997`, `127.0.0.1:0`, `[::1]:80`). */
export function splitAddress(address: string): { host: string; port: number } {
  const i = address.lastIndexOf(":");
  if (i < 0) throw new Error(`address ${address}: missing port in address`);
  const host = address.slice(0, i).replace(/^\[(.*)\]$/, "$1");
  const port = Number(address.slice(i + 1));
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`invalid port in address ${address}`);
  return { host, port };
}

/**
 * Makes `server` listen like Go's `net.Listen("tcp", address)`: rejects with MediaMTX's
 * `listen tcp ...: bind: address already in use`, and resolves with the `host:port` to show
 * (the real port; wildcard hosts as 127.0.0.1, IPv6 in brackets). Shared by every listener.
 */
export async function listenLikeGo(server: NetServer, address: string): Promise<string> {
  const { host, port } = splitAddress(address);
  await new Promise<void>((resolve, reject) => {
    server.once("error", (e: NodeJS.ErrnoException) =>
      reject(
        new Error(
          e.code === "EADDRINUSE" ? `listen tcp ${address}: bind: address already in use` : e.message,
        ),
      ),
    );
    server.listen(port, host === "" ? undefined : host, () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  const shown =
    host === "" || host === "0.0.0.0" || host === "::"
      ? "127.0.0.1"
      : host.includes(":")
        ? `[${host}]`
        : host;
  return `${shown}:${actual}`;
}

/** Listens like Go's `net.Listen("tcp", address)`; rejects with `listen tcp ...: bind: address already in use`. */
export async function listenHttp(
  address: string,
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<HttpListener> {
  const server: Server = createServer(handler);
  server.keepAliveTimeout = 5_000;
  const sockets = new Set<Socket>();
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  const hostPort = await listenLikeGo(server, address);
  return {
    address,
    url: `http://${hostPort}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}
