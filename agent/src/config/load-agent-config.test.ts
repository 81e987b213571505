import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { MtxError } from "@mtx-fleet/plugin-api";
import { createTempDir, type TempDir } from "@mtx-fleet/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadAgentConfig } from "./load-agent-config.ts";

let dir: TempDir;
beforeEach(async () => {
  dir = await createTempDir("mtx-config-");
});
afterEach(async () => {
  await dir[Symbol.asyncDispose]();
});

async function load(text: string, env: NodeJS.ProcessEnv = {}) {
  const file = join(dir.path, "agent.yaml");
  await writeFile(file, text);
  return loadAgentConfig(file, env);
}

async function failure(
  text: string,
  env: NodeJS.ProcessEnv = {},
): Promise<{ message: string; issues: unknown }> {
  try {
    await load(text, env);
  } catch (error) {
    if (!MtxError.is(error, "MTX_INVALID_INPUT")) throw error;
    return { message: error.message.replace(dir.path, "<dir>"), issues: error.details?.issues };
  }
  throw new Error("expected the config to be rejected");
}

describe("loadAgentConfig", () => {
  it("fills every default from a minimal file", async () => {
    const { config } = await load("version: 1\nnode: { name: edge-1 }\n");
    expect(config).toEqual({
      version: 1,
      node: { name: "edge-1" },
      dataDir: "/var/lib/mtx-agent",
      mediamtx: { apiUrl: "http://127.0.0.1:9997", pollIntervalMs: 2000, timeoutMs: 5000, pollSessions: [] },
      localApi: { host: "127.0.0.1", port: 9980 },
      log: { level: "info" },
      outbox: { maxBytes: 268435456, maxAgeHours: 168 },
      pluginHost: { callTimeoutMs: 10000, stopTimeoutMs: 5000, restartBaseMs: 1000, restartMaxMs: 300000 },
      plugins: {},
    });
  });

  it("resolves a relative dataDir against the config file's directory", async () => {
    const { config } = await load("version: 1\ndataDir: ./state\n");
    expect(config.dataDir).toBe(join(dir.path, "state"));
  });

  it("applies environment overrides over the file", async () => {
    const { config } = await load("version: 1\nmediamtx: { apiUrl: 'http://10.0.0.1:9997' }\n", {
      MTX_AGENT_MEDIAMTX_API_URL: "http://127.0.0.1:19997",
      MTX_AGENT_LOCAL_API_PORT: "9100",
    });
    expect([config.mediamtx.apiUrl, config.localApi.port]).toEqual(["http://127.0.0.1:19997", 9100]);
  });

  it("names every wrong field and the fix at once", async () => {
    const result = await failure(
      "version: 1\nmediamtx:\n  apiUrl: 127.0.0.1:9997\n  pollIntervalMs: 10\nlocalApi: { prot: 9980 }\nlog: { level: loud }\n",
    );
    expect(result.message).toBe(
      '<dir>/agent.yaml: mediamtx.apiUrl must match pattern "^https?://"; mediamtx.pollIntervalMs must be >= 250; localApi.prot: unknown option (remove it or check its spelling); log.level must be one of "fatal", "error", "warn", "info", "debug", "trace"',
    );
  });

  it("names the environment variable's field when an override is not a number", async () => {
    const result = await failure("version: 1\n", { MTX_AGENT_LOCAL_API_PORT: "ninety" });
    expect(result.message).toBe("<dir>/agent.yaml: localApi.port must be integer");
  });

  it("asks for the format version when it is missing", async () => {
    const result = await failure("node: { name: x }\n");
    expect(result.message).toBe("<dir>/agent.yaml: add 'version: 1' at the top (the config format version)");
  });

  it("rejects an unknown format version", async () => {
    const result = await failure("version: 2\n");
    expect(result.message).toBe("<dir>/agent.yaml: version must be 1");
  });

  it("gives the line and column of a YAML syntax error", async () => {
    const result = await failure("version: 1\nnode:\n  name: [unclosed\n");
    expect(result.message).toMatch(/^<dir>\/agent\.yaml:\d+:\d+: invalid YAML: /);
  });

  it("says so when the file does not exist", async () => {
    await expect(loadAgentConfig(join(dir.path, "missing.yaml"), {})).rejects.toThrow(
      "missing.yaml: no such file (create it, or pass --config with the right path)",
    );
  });

  it("accepts a hub section and checks its address", async () => {
    const { config } = await load(
      "version: 1\nhub: { url: 'hub.example:9801', enrolToken: mtxe_0123456789 }\n",
    );
    expect(config.hub).toEqual({
      url: "hub.example:9801",
      enrolToken: "mtxe_0123456789",
      telemetryIntervalMs: 2000,
    });
    const result = await failure("version: 1\nhub: { url: 'https://hub.example' }\n");
    // A string or a list of them: the string's own problem comes first.
    expect(result.message).toMatch(
      /^<dir>\/agent\.yaml: hub\.url must match pattern "\^\[\^\\s\/\]\+:\[0-9\]\+\$"; hub\.url must be array/,
    );
  });

  it("takes a list of hub replicas' link URLs, from the file or MTX_AGENT_HUB_URL", async () => {
    const fromFile = await load("version: 1\nhub: { url: ['hub-a:9801', 'hub-b:9801'] }\n");
    const fromEnv = await load("version: 1\nhub: { url: 'hub-a:9801' }\n", {
      MTX_AGENT_HUB_URL: "hub-b:9801, hub-c:9801",
    });
    expect([fromFile.config.hub?.url, fromEnv.config.hub?.url]).toEqual([
      ["hub-a:9801", "hub-b:9801"],
      ["hub-b:9801", "hub-c:9801"],
    ]);
    const result = await failure("version: 1\nhub: { url: ['hub-a:9801', 'https://hub-b'] }\n");
    expect(result.message).toMatch(/hub\.url/);
  });

  it("rejects plugin names that are not kebab-case and unknown plugin keys", async () => {
    const result = await failure("version: 1\nplugins:\n  Probe: {}\n  probe: { enabeld: true }\n");
    expect(result.issues).toEqual([
      { path: "plugins", message: "plugins.Probe: unknown option (remove it or check its spelling)" },
      {
        path: "plugins.probe",
        message: "plugins.probe.enabeld: unknown option (remove it or check its spelling)",
      },
    ]);
  });
});
