import { connect, createServer, type Socket } from "node:net";
import { describe, expect, it } from "vitest";
import { startTcpProxy } from "./start-tcp-proxy.ts";
import { waitFor } from "./wait-for.ts";

async function echoServer(): Promise<{ port: number; close(): Promise<void> }> {
  const server = createServer((socket) => socket.pipe(socket));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  return {
    port: typeof address === "object" && address !== null ? address.port : 0,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function client(port: number): { socket: Socket; received: () => string; closed: () => boolean } {
  const socket = connect(port, "127.0.0.1");
  let text = "";
  let closed = false;
  socket.setEncoding("utf8");
  socket.on("data", (chunk: string) => {
    text += chunk;
  });
  socket.on("error", () => undefined);
  socket.on("close", () => {
    closed = true;
  });
  return { socket, received: () => text, closed: () => closed };
}

describe("startTcpProxy", () => {
  it("forwards, goes silent when cut, and resets held connections when healed", async () => {
    const echo = await echoServer();
    await using proxy = await startTcpProxy({ targetPort: echo.port });
    const first = client(proxy.port);
    first.socket.write("hello");
    await waitFor(
      async () => first.received(),
      (text) => text === "hello",
    );

    proxy.cut();
    first.socket.write(" lost");
    const held = client(proxy.port);
    held.socket.write("nobody hears");
    await waitFor(
      async () => proxy.connections(),
      (n) => n === 2,
    );
    expect([first.received(), held.received(), first.closed(), held.closed()]).toEqual([
      "hello",
      "",
      false,
      false,
    ]);

    proxy.heal();
    await waitFor(
      async () => first.closed() && held.closed(),
      (closed) => closed,
    );
    const after = client(proxy.port);
    after.socket.write("back");
    await waitFor(
      async () => after.received(),
      (text) => text === "back",
    );
    after.socket.destroy();
    await echo.close();
  });

  it("refuses connections while cut in reset mode", async () => {
    const echo = await echoServer();
    await using proxy = await startTcpProxy({ targetPort: echo.port });
    proxy.cut("reset");
    const refused = client(proxy.port);
    await waitFor(
      async () => refused.closed(),
      (closed) => closed,
    );
    expect(refused.received()).toBe("");
    await echo.close();
  });
});
