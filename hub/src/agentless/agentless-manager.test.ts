import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Writable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { parseConfig } from "@mtx-fleet/plugin-api";
import { createTempDir, startSimulator } from "@mtx-fleet/testkit";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { HubConfigSchema } from "../config/hub-config-schema.ts";
import { startHub } from "../start-hub.ts";

async function waitFor<T>(
  read: () => Promise<T> | T,
  ok: (value: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out; last: ${JSON.stringify(value)}`);
    await sleep(100);
  }
}

describe("agentless manager (inside a hub)", () => {
  it("logs an agentless node whose agent cannot start, keeps the hub serving, and retries until it runs", async () => {
    await using dir = await createTempDir("mtx-hub-agentless-");
    await using sim = await startSimulator({ config: { paths: { "cam/1": {} } } });
    await sim.control.publish("cam/1", "synthetic");
    const dataDir = join(dir.path, "data");
    // A file where the agents' data dirs belong: every agent start fails until it is gone.
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    await writeFile(join(dataDir, "agentless"), "not a directory");
    const lines: Array<Record<string, unknown>> = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split("\n")) if (line !== "") lines.push(JSON.parse(line));
        done();
      },
    });
    const hub = await startHub({
      loaded: {
        file: "test",
        config: parseConfig(HubConfigSchema, {
          version: 1,
          dataDir,
          api: { host: "127.0.0.1", port: 0 },
          link: { host: "127.0.0.1", port: 0 },
        }),
      },
      logger: pino({ level: "info" }, sink),
      version: "0.0.0-test",
    });
    try {
      const { node } = await hub.fleet.createNode({
        name: "remote-1",
        environment: "dev",
        apiUrl: sim.apiUrl,
      });
      const failure = await waitFor(
        () => lines.find((line) => line.msg === "agentless node failed"),
        (line) => line !== undefined,
      );
      expect([failure?.node, failure?.retryInMs]).toEqual([node.id, 2_000]);
      const healthz = await fetch(`${hub.apiUrl}/healthz`);
      expect(healthz.status).toBe(200);

      await rm(join(dataDir, "agentless"));
      const streams = await waitFor(
        () => hub.fleet.listStreams({ nodeId: node.id }, { page: 0, perPage: 10 }),
        (page) => page.items.some((stream) => stream.availability === "available"),
      );
      expect(streams.items.map((stream) => [stream.pathName, stream.availability])).toEqual([
        ["cam/1", "available"],
      ]);
      expect(lines.filter((line) => line.msg === "agentless node started").map((line) => line.node)).toEqual([
        node.id,
      ]);
    } finally {
      await hub.stop();
    }
  });
});
