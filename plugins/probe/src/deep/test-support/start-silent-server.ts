import { createServer, type Socket } from "node:net";

/** A hanging source (see `startSilentServer`). */
export interface SilentServer extends AsyncDisposable {
  readonly port: number;
  /** Connections open right now. */
  readonly open: number;
  /** The most connections that were open at the same time. */
  readonly maxOpen: number;
  readonly accepted: number;
}

export interface SilentServerOptions {
  /** Host to listen on (any 127/8 address works on Linux). */
  readonly host?: string;
  /**
   * Write this at once and then one byte (`a`) every 100 ms forever: a slow source that keeps
   * socket timeouts from firing (e.g. `HTTP/1.1 200 OK\r\nX-Slow: ` never ends its header).
   */
  readonly trickleAfter?: string;
}

/**
 * A TCP server that accepts every connection and never answers (or answers forever, a byte at a
 * time): a hanging source.
 */
export async function startSilentServer(options: SilentServerOptions = {}): Promise<SilentServer> {
  const { host = "127.0.0.1", trickleAfter } = options;
  const sockets = new Set<Socket>();
  let maxOpen = 0;
  let accepted = 0;
  const server = createServer((socket) => {
    accepted++;
    sockets.add(socket);
    maxOpen = Math.max(maxOpen, sockets.size);
    socket.on("error", () => {});
    // Read (and drop) what the client sends: a paused socket never sees the client's FIN.
    socket.resume();
    if (trickleAfter !== undefined) {
      socket.write(trickleAfter);
      const timer = setInterval(() => socket.write("a"), 100);
      socket.once("close", () => clearInterval(timer));
    }
    // The client's FIN ('end') is when it is gone: 'close' comes a few ticks later, possibly
    // after the next client's connection was accepted.
    const gone = () => sockets.delete(socket);
    socket.once("end", gone);
    socket.once("close", gone);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  return {
    port,
    get open() {
      return sockets.size;
    },
    get maxOpen() {
      return maxOpen;
    },
    get accepted() {
      return accepted;
    },
    async [Symbol.asyncDispose]() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
