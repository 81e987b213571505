import { createServer, type Server, type Socket } from "node:net";
import { listenLikeGo } from "../util/http-listener.ts";
import { RtspConn, type RtspConnDeps } from "./rtsp-conn.ts";

/** MediaMTX's RTSP listener (`rtsp: yes`, `rtspAddress`, TCP only); rebinds when the address changes. */
export class RtspServer {
  readonly #deps: RtspConnDeps;
  #server: Server | undefined;
  #address = "";
  #url: string | null = null;
  readonly #sockets = new Set<Socket>();
  /** Running connections: closing waits for their ffmpeg processes to stop. */
  readonly #running = new Set<Promise<void>>();

  constructor(deps: RtspConnDeps) {
    this.#deps = deps;
  }

  /** `rtsp://host:port` with the real port, or null while disabled. */
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
      const running = new RtspConn(socket, this.#deps).run();
      this.#running.add(running);
      void running.finally(() => this.#running.delete(running));
    });
    const hostPort = await listenLikeGo(server, address);
    this.#server = server;
    this.#address = address;
    this.#url = `rtsp://${hostPort}`;
    this.#deps.log.info({ address }, `[RTSP] listener opened on ${address} (TCP)`);
  }

  /** Closes the listener and every connection. */
  async close(): Promise<void> {
    const server = this.#server;
    if (server === undefined) return;
    this.#server = undefined;
    this.#url = null;
    this.#deps.log.info({}, "[RTSP] listener is closing");
    for (const s of this.#sockets) s.destroy();
    await Promise.all([...this.#running]);
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
