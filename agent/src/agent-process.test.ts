import { spawnSync } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import {
  createTempDir,
  type StartedAgent,
  startAgent,
  startNotifySocket,
  startSimulator,
} from "@mtx-fleet/testkit";
import { describe, expect, it } from "vitest";
import { buildAgentBundle } from "../../deploy/toolchain/build-agent.ts";

const fixture = (name: string): string =>
  fileURLToPath(new URL(`./testing/fixtures/${name}.ts`, import.meta.url));
const MAIN = fileURLToPath(new URL("./main.ts", import.meta.url));

interface PluginRow {
  name: string;
  state: { kind: string; retryAt?: number | null; error?: { code: string; message: string } };
  lastError: { code: string; message: string } | null;
  restarts: number;
}

async function plugins(agent: StartedAgent): Promise<Record<string, PluginRow>> {
  const { body } = await agent.get("/api/v1/plugins");
  return Object.fromEntries((body as { items: PluginRow[] }).items.map((row) => [row.name, row]));
}

async function waitUntil<T>(
  read: () => Promise<T>,
  ok: (value: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out; last value: ${JSON.stringify(value)}`);
    await sleep(50);
  }
}

const fastHost = { callTimeoutMs: 300, stopTimeoutMs: 300, restartBaseMs: 100, restartMaxMs: 400 };

describe("mtx-agent process", () => {
  it("keeps running beside a throwing, a hanging, a missing-dependency and a wrong-API plugin", async () => {
    await using agent = await startAgent({
      config: {
        pluginHost: fastHost,
        plugins: {
          throwing: { module: fixture("throwing-plugin") },
          hanging: { module: fixture("hanging-plugin") },
          needy: { module: fixture("needy-plugin") },
          future: { module: fixture("future-plugin") },
          nosuch: {},
        },
      },
    });
    const rows = await plugins(agent);
    // throwing and hanging cycle through restarts, so their state varies; their error does not.
    expect(Object.fromEntries(Object.values(rows).map((r) => [r.name, r.lastError?.code ?? null]))).toEqual({
      "system-metrics": null,
      hooks: null,
      orchestration: null,
      probe: null,
      throwing: "MTX_PLUGIN_FAILED",
      hanging: "MTX_PLUGIN_TIMEOUT",
      needy: "MTX_PLUGIN_MISSING_DEPENDENCY",
      future: "MTX_PLUGIN_API_MISMATCH",
      nosuch: "MTX_PLUGIN_INVALID",
    });
    // Final failures are never retried.
    expect(["needy", "future", "nosuch"].map((n) => [rows[n]?.state.kind, rows[n]?.state.retryAt])).toEqual([
      ["failed", null],
      ["failed", null],
      ["failed", null],
    ]);
    expect(rows.nosuch?.state.error?.message).toBe(
      "plugins.nosuch: there is no built-in plugin 'nosuch'; set 'module' to its package name or path",
    );
    // The broken ones are retried (throwing, hanging) while the agent keeps serving.
    await waitUntil(
      () => plugins(agent),
      (r) => (r.throwing?.restarts ?? 0) >= 2 && (r.hanging?.restarts ?? 0) >= 1,
    );
    expect((await agent.get("/healthz")).status).toBe(200);
    expect((await plugins(agent))["system-metrics"]?.state.kind).toBe("running");
    const metrics = String((await agent.get("/metrics")).body);
    expect(metrics).toContain('mtx_agent_plugin_state{plugin="needy",state="failed",node="test-agent"} 1');
  });

  it("restarts a failing plugin with backoff until it recovers, then serves its route", async () => {
    await using agent = await startAgent({
      config: {
        pluginHost: fastHost,
        plugins: { flaky: { module: fixture("flaky-plugin"), config: { failures: 2 } } },
      },
    });
    const rows = await waitUntil(
      () => plugins(agent),
      (r) => r.flaky?.state.kind === "running",
    );
    expect(rows.flaky?.restarts).toBe(2);
    expect(await agent.get("/api/v1/plugins/flaky/x/hello")).toEqual({
      status: 200,
      body: { hello: "test-agent", starts: 3 },
    });
  });

  it("on SIGHUP removes a dropped plugin with its route and metrics, and leaves the others running as they were", async () => {
    await using agent = await startAgent({
      config: {
        pluginHost: fastHost,
        plugins: { flaky: { module: fixture("flaky-plugin"), config: { failures: 0 } } },
      },
    });
    await waitUntil(
      async () => String((await agent.get("/metrics")).body),
      (text) => /mtx_flaky_ticks_total\{node="test-agent"\} [1-9]/.test(text),
    );
    const before = (await plugins(agent))["system-metrics"];
    await agent.writeConfig({ pluginHost: fastHost, plugins: {} });
    agent.signal("SIGHUP");
    await waitUntil(
      () => plugins(agent),
      (r) => r.flaky === undefined,
    );
    const after = await plugins(agent);
    expect(after["system-metrics"]).toEqual(before);
    expect((await agent.get("/api/v1/plugins/flaky/x/hello")).status).toBe(404);
    expect(String((await agent.get("/metrics")).body)).not.toContain("mtx_flaky_");
  });

  it("keeps the running config when a SIGHUP brings an invalid one", async () => {
    await using agent = await startAgent();
    await writeFile(agent.configPath, "version: 1\nlocalApi: { prot: 1 }\n");
    agent.signal("SIGHUP");
    await waitUntil(
      async () => agent.logs(),
      (logs) => logs.some((l) => l.msg === "config reload rejected; kept the running config"),
    );
    expect((await agent.get("/healthz")).status).toBe(200);
  });

  it("works standalone: events wait in the outbox and show in the local API", async () => {
    await using agent = await startAgent();
    // One plugin.state (running) per built-in plugin.
    const builtins = Object.keys(await plugins(agent));
    const { body } = await waitUntil(
      () => agent.get("/api/v1/events"),
      (r) => (r.body as { items: unknown[] }).items.length >= 1 + builtins.length,
    );
    const events = body as { items: Array<{ kind: string; seq: number }>; stats: { deliveredSeq: number } };
    expect(events.items.map((e) => e.kind).sort()).toEqual([
      "mediamtx.unreachable",
      ...builtins.map(() => "plugin.state"),
    ]);
    expect(events.stats.deliveredSeq).toBe(0);
    const status = (await agent.get("/api/v1/status")).body as {
      hub: unknown;
      mediamtx: { reachable: boolean };
    };
    expect([status.hub, status.mediamtx.reachable]).toEqual([{ mode: "standalone" }, false]);
  });

  it("refuses writes without the token, and all writes when no token is configured", async () => {
    await using agent = await startAgent();
    const noToken = await fetch(`${agent.url}/api/v1/plugins/system-metrics/restart`, { method: "POST" });
    expect([noToken.status, await noToken.json()]).toEqual([
      401,
      { code: "MTX_UNAUTHORIZED", message: "this request needs 'Authorization: Bearer <localApi.token>'" },
    ]);
    expect((await agent.post("/api/v1/plugins/system-metrics/restart")).status).toBe(200);

    await using closed = await startAgent({ config: { localApi: { token: undefined } } });
    expect(await closed.post("/api/v1/plugins/system-metrics/restart")).toEqual({
      status: 403,
      body: {
        code: "MTX_FORBIDDEN",
        message: "writes are disabled on this agent: set localApi.token in the agent config",
      },
    });
  });

  it("answers unknown routes and bad queries with coded errors", async () => {
    await using agent = await startAgent();
    expect(await agent.get("/api/v1/nope")).toEqual({
      status: 404,
      body: { code: "MTX_NOT_FOUND", message: "no route GET /api/v1/nope" },
    });
    const bad = await agent.get("/api/v1/events?limit=0");
    expect([bad.status, (bad.body as { code: string }).code]).toEqual([400, "MTX_INVALID_INPUT"]);
  });

  it("tells systemd READY=1 once it serves and STOPPING=1 when it stops", async () => {
    await using notify = await startNotifySocket();
    const agent = await startAgent({ env: { ...process.env, NOTIFY_SOCKET: notify.socket } });
    const [ready] = await notify.messages(1);
    expect(ready).toBe(`READY=1\nSTATUS=serving ${agent.url}`);
    agent.signal("SIGTERM");
    expect(await agent.exited).toBe(0);
    expect((await notify.messages(2))[1]).toBe("STOPPING=1");
    await agent[Symbol.asyncDispose]();
  });

  it("lists the simulator's streams from the shared snapshot, with byte rates", async () => {
    await using sim = await startSimulator({ config: { paths: { "cam/1": {}, "cam/2": {} } } });
    await sim.control.publish("cam/1", "synthetic");
    await using agent = await startAgent({
      config: { mediamtx: { apiUrl: sim.apiUrl, pollIntervalMs: 300 } },
    });
    const { body } = await waitUntil(
      () => agent.get("/api/v1/streams"),
      (r) =>
        ((r.body as { items: Array<{ inboundBytesPerSecond: number | null }> }).items[0]
          ?.inboundBytesPerSecond ?? 0) > 0,
    );
    const streams = body as {
      itemCount: number;
      items: Array<{ name: string; available: boolean; inboundBytesPerSecond: number | null }>;
    };
    expect(streams.itemCount).toBe(2);
    expect(streams.items.map((s) => [s.name, s.available])).toEqual([
      ["cam/1", true],
      ["cam/2", false],
    ]);
    const onlyAvailable = (await agent.get("/api/v1/streams?available=true")).body as { itemCount: number };
    expect(onlyAvailable.itemCount).toBe(1);
    const status = (await agent.get("/api/v1/status")).body as {
      mediamtx: { reachable: boolean; paths: number };
    };
    expect([status.mediamtx.reachable, status.mediamtx.paths]).toEqual([true, 2]);
  });

  it("stops on SIGTERM with exit code 0", async () => {
    const agent = await startAgent();
    agent.signal("SIGTERM");
    expect(await agent.exited).toBe(0);
    await agent[Symbol.asyncDispose]();
  });
});

describe("mtx-agent bundle", () => {
  it("builds into one file that starts, serves its API and stops cleanly", async () => {
    await using dir = await createTempDir("mtx-bundle-");
    const bundle = await buildAgentBundle(join(dir.path, "mtx-agent.mjs"));
    const version = spawnSync(process.execPath, [bundle, "--version"], { encoding: "utf8" });
    expect(version.stdout).toMatch(/^mtx-agent \d+\.\d+\.\d+\n$/);
    const agent = await startAgent({ entry: bundle });
    expect((await plugins(agent))["system-metrics"]?.state.kind).toBe("running");
    agent.signal("SIGTERM");
    expect(await agent.exited).toBe(0);
    await agent[Symbol.asyncDispose]();
  });
});

describe("mtx-agent check-config", () => {
  it("exits 1 and lists every problem of an invalid file", async () => {
    await using dir = await createTempDir("mtx-check-");
    const file = join(dir.path, "agent.yaml");
    await writeFile(file, "version: 1\nmediamtx: { apiUrl: localhost:9997, pollIntervalMs: 5 }\n");
    const run = spawnSync(process.execPath, [MAIN, "check-config", file], { encoding: "utf8" });
    expect([run.status, run.stderr]).toEqual([
      1,
      `mtx-agent: ${file}:\n  - mediamtx.apiUrl must match pattern "^https?://"\n  - mediamtx.pollIntervalMs must be >= 250\n`,
    ]);
  });

  it("exits 0 for a valid file", async () => {
    await using dir = await createTempDir("mtx-check-");
    const file = join(dir.path, "agent.yaml");
    await writeFile(file, "version: 1\nnode: { name: edge-7 }\n");
    const run = spawnSync(process.execPath, [MAIN, "check-config", file], { encoding: "utf8" });
    expect([run.status, run.stdout]).toEqual([0, `${file}: valid (node 'edge-7', 0 plugin entries)\n`]);
  });
});
