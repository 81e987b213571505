import { createServer, type Server, type Socket } from "node:net";
import { listenLikeGo } from "../util/http-listener.ts";
import { RtmpConn, type RtmpConnDeps } from "./rtmp-conn.ts";

/** MediaMTX's RTMP listener (`rtmp: yes`, `rtmpAddress`); rebinds when the address changes. */
export class RtmpServer {
  readonly #deps: RtmpConnDeps;
  #server: Server | undefined;
  #address = "";
  #url: string | null = null;
  readonly #sockets = new Set<Socket>();

  constructor(deps: RtmpConnDeps) {
    this.#deps = deps;
  }

  /** `rtmp://host:port` with the real port, or null while disabled. */
  get url(): string | null {
    return this.#url;
  }

  /** Starts, stops or rebinds; throws Go-like listen errors (fatal for MediaMTX). */
  async sync(enabled: boolean, address: string): Promise<void> {
    const same = this.#server !== undefined && (this.#address === address || this.#url?.slice(7) === address);
    if (this.#server !== undefined && (!enabled || !same)) await this.close();
    if (enabled && this.#server === undefined) await this.#listen(address);
  }

  async #listen(address: string): Promise<void> {
    const server = createServer((socket) => {
      this.#sockets.add(socket);
      socket.on("close", () => this.#sockets.delete(socket));
      socket.setNoDelay(true);
      void new RtmpConn(socket, this.#deps).run();
    });
    const hostPort = await listenLikeGo(server, address);
    this.#server = server;
    this.#address = address;
    this.#url = `rtmp://${hostPort}`;
    this.#deps.log.info({ address }, `[RTMP] listener opened on ${address} (TCP)`);
  }

  /** Closes the listener and every connection. */
  async close(): Promise<void> {
    const server = this.#server;
    if (server === undefined) return;
    this.#server = undefined;
    this.#url = null;
    this.#deps.log.info({}, "[RTMP] listener is closing");
    for (const s of this.#sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
