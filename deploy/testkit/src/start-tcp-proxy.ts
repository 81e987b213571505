import { connect, createServer, type Server, type Socket } from "node:net";

/** Options of `startTcpProxy`. */
export interface TcpProxyOptions {
  /** Where connections go while the proxy is healed. */
  readonly targetHost?: string;
  readonly targetPort: number;
}

/** How `cut()` breaks the path. */
export type TcpCutMode =
  /** Packets vanish: connections stay open but carry nothing, new ones hang (a real partition). */
  | "blackhole"
  /** Every connection is reset at once and new ones are refused. */
  | "reset";

/**
 * A TCP proxy on a free loopback port in front of one server, that a test can cut and heal
 * to give a client a network partition while the server keeps running.
 */
export interface StartedTcpProxy extends AsyncDisposable {
  readonly port: number;
  /** `127.0.0.1:<port>`. */
  readonly address: string;
  /** Connections currently open through the proxy (forwarding or held). */
  connections(): number;
  /** Cuts the path; with `blackhole` (default) open connections go silent and new ones hang. */
  cut(mode?: TcpCutMode): void;
  /**
   * Heals the path: held connections are reset (as a middlebox that lost its state would), so
   * clients notice at once and reconnect; new connections are forwarded again.
   */
  heal(): void;
  close(): Promise<void>;
}

interface Pair {
  readonly client: Socket;
  upstream: Socket | undefined;
}

/** Starts a TCP proxy to `targetHost:targetPort` (healed); dispose closes it and every connection. */
export async function startTcpProxy(options: TcpProxyOptions): Promise<StartedTcpProxy> {
  const targetHost = options.targetHost ?? "127.0.0.1";
  let state: "open" | TcpCutMode = "open";
  const pairs = new Set<Pair>();

  const drop = (pair: Pair): void => {
    pairs.delete(pair);
    pair.client.destroy();
    pair.upstream?.destroy();
  };
  const forward = (pair: Pair): void => {
    const upstream = connect(options.targetPort, targetHost);
    pair.upstream = upstream;
    pair.client.pipe(upstream);
    upstream.pipe(pair.client);
    upstream.on("error", () => drop(pair));
    upstream.on("close", () => drop(pair));
  };
  const server: Server = createServer((client) => {
    const pair: Pair = { client, upstream: undefined };
    client.on("error", () => drop(pair));
    client.on("close", () => drop(pair));
    if (state === "reset") {
      client.destroy();
      return;
    }
    pairs.add(pair);
    // Held: read and discard, like packets into a black hole.
    if (state === "blackhole") client.on("data", () => undefined);
    else forward(pair);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;

  const close = async (): Promise<void> => {
    for (const pair of [...pairs]) drop(pair);
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return {
    port,
    address: `127.0.0.1:${port}`,
    connections: () => pairs.size,
    cut: (mode = "blackhole") => {
      state = mode;
      for (const pair of [...pairs]) {
        if (mode === "reset") {
          drop(pair);
          continue;
        }
        // Stop both directions and swallow what still arrives.
        pair.client.unpipe();
        pair.upstream?.unpipe();
        pair.client.on("data", () => undefined);
        pair.upstream?.on("data", () => undefined);
      }
    },
    heal: () => {
      state = "open";
      for (const pair of [...pairs]) drop(pair);
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
