import { createServer, type Server, type Socket } from "node:net";
import { listenLikeGo } from "./http-listener.ts";

/** What a protocol server plugs into `TcpListener`. */
export interface TcpListenerOptions {
  /** URL scheme of `url` (`rtmp`, `rtsp`). */
  readonly scheme: string;
  /** MediaMTX's log prefix (`RTMP`, `RTSP`). */
  readonly label: string;
  readonly log: { info(fields: object, message: string): void };
  /** Serves one connection; resolves when it ended. */
  readonly serve: (socket: Socket) => Promise<void>;
  /** Whether `close()` waits for running connections (they may own child processes). */
  readonly awaitConnectionsOnClose: boolean;
}

/**
 * A MediaMTX-style TCP protocol listener: `sync` starts, stops or rebinds it as the config
 * changes (Go-like listen errors, fatal for MediaMTX), `close` drops every connection. The
 * RTMP and RTSP servers are this with their own connection handler.
 */
export class TcpListener {
  readonly #options: TcpListenerOptions;
  #server: Server | undefined;
  #address = "";
  #url: string | null = null;
  readonly #sockets = new Set<Socket>();
  readonly #running = new Set<Promise<void>>();

  constructor(options: TcpListenerOptions) {
    this.#options = options;
  }

  /** `<scheme>://host:port` with the real port, or null while disabled. */
  get url(): string | null {
    return this.#url;
  }

  /** Starts, stops or rebinds; throws Go-like listen errors (fatal for MediaMTX). */
  async sync(enabled: boolean, address: string): Promise<void> {
    const shown = this.#url?.slice(this.#options.scheme.length + 3);
    const same = this.#server !== undefined && (this.#address === address || shown === address);
    if (this.#server !== undefined && (!enabled || !same)) await this.close();
    if (enabled && this.#server === undefined) await this.#listen(address);
  }

  async #listen(address: string): Promise<void> {
    const { scheme, label, log, serve } = this.#options;
    const server = createServer((socket) => {
      this.#sockets.add(socket);
      socket.on("close", () => this.#sockets.delete(socket));
      socket.setNoDelay(true);
      const running = serve(socket);
      this.#running.add(running);
      void running.finally(() => this.#running.delete(running));
    });
    const hostPort = await listenLikeGo(server, address);
    this.#server = server;
    this.#address = address;
    this.#url = `${scheme}://${hostPort}`;
    log.info({ address }, `[${label}] listener opened on ${address} (TCP)`);
  }

  /** Closes the listener and every connection. */
  async close(): Promise<void> {
    const server = this.#server;
    if (server === undefined) return;
    this.#server = undefined;
    this.#url = null;
    this.#options.log.info({}, `[${this.#options.label}] listener is closing`);
    for (const s of this.#sockets) s.destroy();
    if (this.#options.awaitConnectionsOnClose) await Promise.all([...this.#running]);
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
