import { createServer } from "node:net";

/**
 * A TCP port that was free a moment ago on `host`. Only for programs that cannot listen on
 * port 0 and report the port back (nats-server can, but its cluster and monitor ports need one).
 */
export async function freePort(host = "127.0.0.1"): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
