import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { MtxError } from "@mtx-fleet/plugin-api";
import { createTempDir, type TempDir } from "@mtx-fleet/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadHubConfig } from "./load-hub-config.ts";

let dir: TempDir;
beforeEach(async () => {
  dir = await createTempDir("mtx-hub-config-");
});
afterEach(async () => {
  await dir[Symbol.asyncDispose]();
});

async function load(text: string, env: NodeJS.ProcessEnv = {}) {
  const file = join(dir.path, "hub.yaml");
  await writeFile(file, text);
  return loadHubConfig(file, env);
}

async function failure(text: string, env: NodeJS.ProcessEnv = {}): Promise<string> {
  try {
    await load(text, env);
  } catch (error) {
    if (!MtxError.is(error, "MTX_INVALID_INPUT")) throw error;
    return error.message.replace(dir.path, "<dir>");
  }
  throw new Error("expected the config to be rejected");
}

describe("loadHubConfig", () => {
  it("fills every default from a minimal file", async () => {
    const { config } = await load("version: 1\n");
    expect(config).toEqual({
      version: 1,
      dataDir: "/var/lib/mtx-hub",
      api: { host: "0.0.0.0", port: 9800 },
      link: { host: "0.0.0.0", port: 9801 },
      auth: { sessionTtlMs: 43_200_000 },
      enrolTokenTtlMs: 900_000,
      heartbeat: { intervalMs: 5000, staleAfterMs: 15_000, offlineAfterMs: 60_000 },
      log: { level: "info" },
    });
  });

  it("resolves dataDir and TLS files against the config file's directory", async () => {
    const { config } = await load(
      "version: 1\ndataDir: ./state\nlink: { tls: { cert: c.pem, key: k.pem } }\n",
    );
    expect([config.dataDir, config.link.tls]).toEqual([
      join(dir.path, "state"),
      { cert: join(dir.path, "c.pem"), key: join(dir.path, "k.pem") },
    ]);
  });

  it("applies MTX_HUB_* environment overrides over the file", async () => {
    const { config } = await load("version: 1\napi: { port: 1 }\n", {
      MTX_HUB_API_PORT: "9100",
      MTX_HUB_NATS_SERVERS: "nats://a:4222, nats://b:4222",
      MTX_HUB_ADMIN_PASSWORD: "correct-horse-battery",
    });
    expect([config.api.port, config.nats, config.auth.adminPassword]).toEqual([
      9100,
      { servers: ["nats://a:4222", "nats://b:4222"] },
      "correct-horse-battery",
    ]);
  });

  it("names every wrong field and the fix at once", async () => {
    const message = await failure(
      "version: 1\napi: { prot: 1 }\nnats: { servers: ['127.0.0.1:4222'] }\nauth: { adminPassword: short }\nlog: { level: loud }\n",
    );
    expect(message).toBe(
      '<dir>/hub.yaml: api.prot: unknown option (remove it or check its spelling); nats.servers.0 must match pattern "^(nats|tls)://"; auth.adminPassword must NOT have fewer than 12 characters; log.level must be one of "fatal", "error", "warn", "info", "debug", "trace"',
    );
  });

  it("rejects heartbeat limits in the wrong order", async () => {
    const message = await failure(
      "version: 1\nheartbeat: { intervalMs: 5000, staleAfterMs: 4000, offlineAfterMs: 3000 }\n",
    );
    expect(message).toBe(
      "<dir>/hub.yaml: heartbeat.staleAfterMs (4000) must be greater than heartbeat.intervalMs (5000); about 3 intervals is usual; heartbeat.offlineAfterMs (3000) must be greater than heartbeat.staleAfterMs (4000)",
    );
  });

  it("names the field of an environment override that is not a number", async () => {
    expect(await failure("version: 1\n", { MTX_HUB_LINK_PORT: "ninety" })).toBe(
      "<dir>/hub.yaml: link.port must be integer",
    );
  });

  it("asks for the format version when it is missing", async () => {
    expect(await failure("api: { port: 1 }\n")).toBe(
      "<dir>/hub.yaml: add 'version: 1' at the top (the config format version)",
    );
  });

  it("gives the line and column of a YAML syntax error", async () => {
    expect(await failure("version: 1\napi:\n  host: [unclosed\n")).toMatch(
      /^<dir>\/hub\.yaml:\d+:\d+: invalid YAML: /,
    );
  });

  it("says so when the file does not exist", async () => {
    await expect(loadHubConfig(join(dir.path, "missing.yaml"), {})).rejects.toThrow(
      "missing.yaml: no such file (create it, or pass --config with the right path)",
    );
  });
});
