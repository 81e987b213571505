import { describe, expect, it } from "vitest";
import { agentlessAgentConfig } from "./agentless-agent-config.ts";

const base = {
  nodeName: "remote-1",
  dataDir: "/var/lib/mtx-hub/agentless/n1",
  apiUrl: "http://10.0.0.5:9997",
  linkUrl: "127.0.0.1:9801",
  pollIntervalMs: 2_000,
  telemetryIntervalMs: 2_000,
};

describe("agentlessAgentConfig", () => {
  it("builds a linked, read-only, plugin-less agent config with the defaults applied", () => {
    const loaded = agentlessAgentConfig({
      ...base,
      username: "viewer",
      password: "secret",
      enrolToken: "mtxe_token_0123456789",
    });
    expect(loaded.baseDir).toBe(base.dataDir);
    expect(loaded.config).toEqual({
      version: 1,
      node: { name: "remote-1" },
      dataDir: base.dataDir,
      mediamtx: {
        apiUrl: base.apiUrl,
        username: "viewer",
        password: "secret",
        pollIntervalMs: 2_000,
        timeoutMs: 5_000,
        pollSessions: [],
      },
      localApi: { host: "127.0.0.1", port: 0 },
      log: { level: "info" },
      outbox: { maxBytes: 256 * 1_048_576, maxAgeHours: 24 * 7 },
      hub: { url: base.linkUrl, enrolToken: "mtxe_token_0123456789", telemetryIntervalMs: 2_000 },
      pluginHost: {
        callTimeoutMs: 10_000,
        stopTimeoutMs: 5_000,
        restartBaseMs: 1_000,
        restartMaxMs: 300_000,
      },
      plugins: { "system-metrics": { enabled: false, config: {} } },
    });
  });

  it("leaves out the credentials and the enrolment token it was not given", () => {
    const { config } = agentlessAgentConfig(base);
    expect([config.mediamtx.username, config.mediamtx.password, config.hub]).toEqual([
      undefined,
      undefined,
      { url: base.linkUrl, telemetryIntervalMs: 2_000 },
    ]);
  });

  it("rejects a MediaMTX URL the agent could not poll", () => {
    expect(() => agentlessAgentConfig({ ...base, apiUrl: "ftp://x" })).toThrow(/mediamtx\.apiUrl/);
  });
});
