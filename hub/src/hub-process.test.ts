import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { createTempDir, freePort, startHub } from "@mtx-fleet/testkit";
import { describe, expect, it } from "vitest";

const MAIN = fileURLToPath(new URL("./main.ts", import.meta.url));
const run = promisify(execFile);

async function checkConfig(file: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [MAIN, "check-config", file]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Polls `read` until it returns a value (stderr arrives on its own pipe, after stdout maybe). */
async function until(read: () => string | undefined, timeoutMs = 5_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("mtx-hub process", () => {
  it("starts, logs in the configured admin, keeps nodes across a restart and stops on SIGTERM", async () => {
    await using data = await createTempDir("mtx-hub-data-");
    let nodeId: string;
    {
      await using hub = await startHub({ dataDir: data.path });
      const created = await hub.request("POST", "/api/v1/fleet/nodes", {
        name: "edge-1",
        environment: "prod",
      });
      nodeId = (created.body as { node: { id: string } }).node.id;
      expect([created.status, hub.adminToken]).toEqual([201, expect.stringMatching(/^mtxh_/)]);
      expect(await hub.stop()).toBe(0);
      expect(hub.logs().map((l) => l.msg)).toContain("stopped");
    }
    await using again = await startHub({ dataDir: data.path });
    const node = await again.request("GET", `/api/v1/fleet/nodes/${nodeId}`);
    expect([node.status, (node.body as { name: string }).name]).toEqual([200, "edge-1"]);
  });

  it("generates an admin password on first start, prints it once to stderr and stores only a hash", async () => {
    await using data = await createTempDir("mtx-hub-data-");
    // undefined removes the test kit's default password (JSON drops it).
    const noPassword = { auth: { adminPassword: undefined } };
    const first = await startHub({ dataDir: data.path, config: noPassword });
    const line = await until(() => /with password (\S+)$/m.exec(first.stderr())?.[1]);
    const login = await first.request(
      "POST",
      "/api/v1/auth/login",
      { username: "admin", password: line },
      null,
    );
    const stored = await readFile(join(data.path, "hub-store.json"), "utf8");
    await first[Symbol.asyncDispose]();
    await using second = await startHub({ dataDir: data.path, config: noPassword });
    const again = await second.request(
      "POST",
      "/api/v1/auth/login",
      { username: "admin", password: line },
      null,
    );
    expect({
      login: login.status,
      inStore: stored.includes(line),
      secondPrints: second.stderr().includes("password"),
      again: again.status,
    }).toEqual({ login: 200, inStore: false, secondPrints: false, again: 200 });
  });

  it("check-config accepts a valid file and names every problem of a bad one", async () => {
    await using dir = await createTempDir("mtx-hub-check-");
    const good = join(dir.path, "good.yaml");
    const bad = join(dir.path, "bad.yaml");
    await writeFile(good, "version: 1\napi: { port: 9900 }\n");
    await writeFile(bad, "version: 1\napi: { port: -1 }\nenrolTokenTtlMs: 5\n");
    expect(await checkConfig(good)).toEqual({
      code: 0,
      stdout: `${good}: valid (api port 9900, link port 9801, no NATS)\n`,
      stderr: "",
    });
    expect(await checkConfig(bad)).toEqual({
      code: 1,
      stdout: "",
      stderr: `mtx-hub: ${bad}:\n  - api.port must be >= 0\n  - enrolTokenTtlMs must be >= 10000\n`,
    });
  });

  it("exits once with MTX_NATS_UNAVAILABLE when its NATS store is unreachable at start", async () => {
    await using dir = await createTempDir("mtx-hub-nonats-");
    const config = join(dir.path, "hub.yaml");
    const url = `nats://127.0.0.1:${await freePort()}`;
    await writeFile(
      config,
      `version: 1\ndataDir: ${dir.path}/data\napi: { host: 127.0.0.1, port: 0 }\nlink: { host: 127.0.0.1, port: 0 }\nnats: { servers: ["${url}"], connectTimeoutMs: 1500 }\n`,
    );
    const result = await run(process.execPath, [MAIN, "--config", config]).then(
      () => ({ code: 0, stdout: "" }),
      (error: { code: number; stdout: string }) => error,
    );
    const fatal = result.stdout
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as { msg: string; err?: { code: string; message: string } })
      .find((line) => line.msg === "hub could not start");
    expect({ code: result.code, errorCode: fatal?.err?.code }).toEqual({
      code: 1,
      errorCode: "MTX_NATS_UNAVAILABLE",
    });
    expect(fatal?.err?.message).toContain(`cannot connect to NATS at ${url} within 1500 ms`);
  });
});
