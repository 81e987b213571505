import { createServer, type Socket } from "node:net";

/** A TCP server that accepts every connection and never says a word: a hanging source. */
export interface SilentServer extends AsyncDisposable {
  readonly port: number;
  /** Connections open right now. */
  readonly open: number;
  /** The most connections that were open at the same time. */
  readonly maxOpen: number;
  readonly accepted: number;
}

export async function startSilentServer(): Promise<SilentServer> {
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
    // The client's FIN ('end') is when it is gone: 'close' comes a few ticks later, possibly
    // after the next client's connection was accepted.
    const gone = () => sockets.delete(socket);
    socket.once("end", gone);
    socket.once("close", gone);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
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
