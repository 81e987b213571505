import { access } from "node:fs/promises";
import { connect } from "node:net";
import { describe, expect, it } from "vitest";
import { startNatsServer } from "./start-nats-server.ts";

/** Reads the INFO line a NATS server sends to every new client. */
async function readInfo(port: number): Promise<Record<string, unknown>> {
  return await new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let buffer = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      buffer += chunk;
      const end = buffer.indexOf("\r\n");
      if (end >= 0) {
        socket.destroy();
        resolve(JSON.parse(buffer.slice("INFO ".length, end)) as Record<string, unknown>);
      }
    });
    socket.once("error", reject);
  });
}

describe("startNatsServer", () => {
  it("starts a JetStream-enabled nats-server on a free loopback port", async () => {
    await using nats = await startNatsServer();
    const info = await readInfo(nats.port);
    expect({ jetstream: info.jetstream, port: info.port, host: info.host }).toEqual({
      jetstream: true,
      port: nats.port,
      host: "127.0.0.1",
    });
    expect(nats.url).toBe(`nats://127.0.0.1:${nats.port}`);
  });

  it("restarts on the same port and keeps the store dir", async () => {
    await using nats = await startNatsServer();
    const before = await readInfo(nats.port);
    await nats.restart();
    const after = await readInfo(nats.port);
    expect(after.port).toBe(nats.port);
    expect(after.server_id).not.toBe(before.server_id);
    await access(nats.storeDir);
  });

  it("refuses connections while stopped", async () => {
    await using nats = await startNatsServer();
    await nats.stop();
    await expect(readInfo(nats.port)).rejects.toThrow(/ECONNREFUSED/);
    await nats.start();
    expect((await readInfo(nats.port)).port).toBe(nats.port);
  });

  it("leaves no process and no files behind after dispose", async () => {
    const nats = await startNatsServer();
    const info = await readInfo(nats.port);
    expect(info.jetstream).toBe(true);
    const storeDir = nats.storeDir;
    await nats[Symbol.asyncDispose]();
    await expect(access(storeDir)).rejects.toThrow(/ENOENT/);
    await expect(readInfo(nats.port)).rejects.toThrow(/ECONNREFUSED/);
  });
});
