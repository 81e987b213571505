import { setTimeout as sleep } from "node:timers/promises";
import { createMediaMtxClient, createSnapshotPoller } from "@mtx-fleet/mediamtx";
import { definePlugin, type MtxError, type PluginDefinition, Type } from "@mtx-fleet/plugin-api";
import { createTempDir, type TempDir } from "@mtx-fleet/testkit";
import { pino } from "pino";
import { Registry } from "prom-client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Outbox, openOutbox } from "../outbox/index.ts";
import { openLocalStore } from "../store/index.ts";
import { AgentEventBus } from "./agent-event-bus.ts";
import { PluginHost, type PluginSpec } from "./plugin-host.ts";
import { pluginStoreView } from "./plugin-store-view.ts";

declare module "@mtx-fleet/plugin-api" {
  interface MtxEvents {
    "test.ping": { readonly n: number };
  }
}

let dir: TempDir;
let host: PluginHost;
let registry: Registry;
let bus: AgentEventBus;
let outbox: Outbox;

const logger = pino({ level: "silent" });

async function newHost(): Promise<PluginHost> {
  const store = await openLocalStore({ file: `${dir.path}/state.json`, defaults: {} });
  registry = new Registry();
  bus = new AgentEventBus(logger);
  // A client for a port nothing listens on: these tests never start the poller.
  const client = createMediaMtxClient({ baseUrl: "http://127.0.0.1:9" });
  outbox = await openOutbox({ dir: `${dir.path}/outbox` });
  return new PluginHost({
    logger,
    mediamtx: { client, poller: createSnapshotPoller(client) },
    registry,
    bus,
    node: { id: "node-1", name: "edge-1" },
    storeFor: (name) => pluginStoreView(store.namespace<Record<string, unknown>>(name, {})),
    journal: { record: (event) => outbox.append(event) },
    callTimeoutMs: 200,
    stopTimeoutMs: 200,
    backoff: { baseMs: 30, maxMs: 200, jitter: 0 },
  });
}

function spec(definition: PluginDefinition | MtxError, config: unknown = {}, name?: string): PluginSpec {
  const pluginName = name ?? (definition instanceof Error ? "broken" : definition.manifest.name);
  return { name: pluginName, source: "test", definition, config };
}

const manifest = (name: string, dependencies: string[] = []) => ({
  name,
  version: "1.0.0",
  apiRange: "^1.0.0",
  dependencies,
});

const healthy = (name: string, dependencies: string[] = []) =>
  definePlugin({ manifest: manifest(name, dependencies), config: Type.Object({}), setup: () => ({}) });

function stateOf(name: string): string | undefined {
  return host.status().find((s) => s.name === name)?.state.kind;
}

async function waitFor(predicate: () => boolean, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`condition not met; states: ${JSON.stringify(host.status())}`);
    await sleep(10);
  }
}

beforeEach(async () => {
  dir = await createTempDir("mtx-host-");
  host = await newHost();
});

afterEach(async () => {
  await host.stop();
  await outbox.close();
  await dir[Symbol.asyncDispose]();
});

describe("PluginHost", () => {
  it("starts plugins in dependency order", async () => {
    const started: string[] = [];
    const make = (name: string, deps: string[] = []) =>
      definePlugin({
        manifest: manifest(name, deps),
        config: Type.Object({}),
        setup: () => ({ start: () => void started.push(name) }),
      });
    await host.start([spec(make("c", ["b"])), spec(make("b", ["a"])), spec(make("a"))]);
    expect(started).toEqual(["a", "b", "c"]);
    expect(host.status().map((s) => [s.name, s.state.kind])).toEqual([
      ["c", "running"],
      ["b", "running"],
      ["a", "running"],
    ]);
  });

  it("marks a throwing plugin failed with MTX_PLUGIN_FAILED while the others keep running", async () => {
    const throwing = definePlugin({
      manifest: manifest("throwing"),
      config: Type.Object({}),
      setup: () => ({
        start: () => {
          throw new Error("boom");
        },
      }),
    });
    await host.start([spec(throwing), spec(healthy("steady"))]);
    const status = host.status().find((s) => s.name === "throwing");
    expect(status?.state.kind).toBe("failed");
    expect(status?.lastError).toEqual({
      code: "MTX_PLUGIN_FAILED",
      message: "plugin 'throwing' start threw: boom",
      details: {},
    });
    expect(stateOf("steady")).toBe("running");
  });

  it("times out a hanging plugin with MTX_PLUGIN_TIMEOUT and keeps the others running", async () => {
    const hanging = definePlugin({
      manifest: manifest("hanging"),
      config: Type.Object({}),
      setup: () => ({ start: () => new Promise<void>(() => {}) }),
    });
    await host.start([spec(hanging), spec(healthy("steady"))]);
    expect(host.status().find((s) => s.name === "hanging")?.lastError?.code).toBe("MTX_PLUGIN_TIMEOUT");
    expect(stateOf("steady")).toBe("running");
  });

  it("never runs a plugin whose dependency is missing, and says which", async () => {
    let setupCalled = false;
    const needy = definePlugin({
      manifest: manifest("needy", ["absent"]),
      config: Type.Object({}),
      setup: () => {
        setupCalled = true;
        return {};
      },
    });
    await host.start([spec(needy), spec(healthy("steady"))]);
    const status = host.status().find((s) => s.name === "needy");
    expect(status?.state).toEqual({
      kind: "failed",
      retryAt: null,
      error: {
        code: "MTX_PLUGIN_MISSING_DEPENDENCY",
        message: "plugin 'needy' needs plugin 'absent', which is not enabled",
        details: { plugin: "needy", missing: ["absent"] },
      },
    });
    expect([setupCalled, stateOf("steady")]).toEqual([false, "running"]);
  });

  it("rejects dependency cycles and plugins with an invalid config before running them", async () => {
    const a = healthy("a", ["b"]);
    const b = healthy("b", ["a"]);
    const configured = definePlugin({
      manifest: manifest("configured"),
      config: Type.Object({ intervalMs: Type.Integer({ minimum: 100 }) }, { additionalProperties: false }),
      setup: () => ({}),
    });
    await host.start([spec(a), spec(b), spec(configured, { intervalMs: 5 })]);
    const errors = Object.fromEntries(host.status().map((s) => [s.name, s.lastError?.message]));
    expect(errors).toEqual({
      a: "plugins depend on each other: a → b → a",
      b: "plugins depend on each other: a → b → a",
      configured: "invalid plugins.configured.config: plugins.configured.config.intervalMs must be >= 100",
    });
  });

  it("restarts a failed plugin with backoff until it recovers", async () => {
    let attempts = 0;
    const flaky = definePlugin({
      manifest: manifest("flaky"),
      config: Type.Object({}),
      setup: () => ({
        start: () => {
          attempts += 1;
          if (attempts < 3) throw new Error(`attempt ${attempts}`);
        },
      }),
    });
    await host.start([spec(flaky)]);
    expect(stateOf("flaky")).toBe("failed");
    await waitFor(() => stateOf("flaky") === "running");
    const status = host.status().find((s) => s.name === "flaky");
    expect({ attempts, restarts: status?.restarts, errors: status?.errors }).toEqual({
      attempts: 3,
      restarts: 2,
      errors: 2,
    });
  });

  it("fails and restarts a plugin whose scheduled task throws", async () => {
    let runs = 0;
    const ticking = definePlugin({
      manifest: manifest("ticking"),
      config: Type.Object({}),
      setup: (ctx) => ({
        start: () => {
          ctx.scheduler.every(10, () => {
            runs += 1;
            if (runs === 2) throw new Error("tick failed");
          });
        },
      }),
    });
    await host.start([spec(ticking)]);
    await waitFor(() => (host.status()[0]?.restarts ?? 0) >= 1 && stateOf("ticking") === "running");
    expect(host.status()[0]?.lastError?.message).toBe("tick failed");
  });

  it("forgets timers that fired or were cancelled and listeners removed early (no pile-up)", async () => {
    let fired = 0;
    const churning = definePlugin({
      manifest: manifest("churning"),
      config: Type.Object({}),
      setup: (ctx) => ({
        start: () => {
          for (let i = 0; i < 50; i += 1) {
            ctx.scheduler.after(1, () => {
              fired += 1;
            });
            ctx.scheduler.after(60_000, () => {}).cancel();
            ctx.scheduler.every(60_000, () => {}).cancel();
            ctx.events.on("test.ping", () => {})();
            ctx.mediamtx.subscribe(() => {})();
          }
        },
      }),
    });
    await host.start([spec(churning)]);
    await waitFor(() => fired === 50);
    expect([host.status()[0]?.registrations, bus.listenerCount("test.ping")]).toEqual([0, 0]);
  });

  it("removes every timer, listener, metric and route of a stopped plugin", async () => {
    let ticks = 0;
    let pings = 0;
    const busy = definePlugin({
      manifest: manifest("busy"),
      config: Type.Object({}),
      setup: (ctx) => ({
        start: () => {
          ctx.scheduler.every(5, () => {
            ticks += 1;
          });
          ctx.events.on("test.ping", () => {
            pings += 1;
          });
          ctx.metrics.counter({ name: "things_total", help: "things" }).inc();
          ctx.http.route("GET", "/hello", () => ({ body: "hi" }));
        },
      }),
    });
    await host.start([spec(busy)]);
    await waitFor(() => ticks > 0);
    expect([
      host.status()[0]?.registrations,
      bus.listenerCount("test.ping"),
      (await registry.metrics()).includes("mtx_busy_things_total 1"),
      host.route("busy", "GET", "/hello") !== undefined,
    ]).toEqual([4, 1, true, true]);

    await host.stop();
    const ticksAtStop = ticks;
    bus.emit("test.ping", { n: 1 });
    await sleep(40);
    expect({
      state: stateOf("busy"),
      ticks: ticks - ticksAtStop,
      pings,
      listeners: bus.listenerCount("test.ping"),
      metric: (await registry.metrics()).includes("mtx_busy_things_total"),
      route: host.route("busy", "GET", "/hello"),
      registrations: host.status()[0]?.registrations,
    }).toEqual({
      state: "stopped",
      ticks: 0,
      pings: 0,
      listeners: 0,
      metric: false,
      route: undefined,
      registrations: 0,
    });
  });

  it("starts a blocked plugin once its failed dependency recovers", async () => {
    let attempts = 0;
    const base = definePlugin({
      manifest: manifest("base"),
      config: Type.Object({}),
      setup: () => {
        attempts += 1;
        if (attempts === 1) throw new Error("not yet");
        return {};
      },
    });
    await host.start([spec(base), spec(healthy("dependent", ["base"]))]);
    expect([stateOf("base"), stateOf("dependent")]).toEqual(["failed", "blocked"]);
    await waitFor(() => stateOf("dependent") === "running");
    expect(stateOf("base")).toBe("running");
  });

  it("keeps the old config when a reconfigure is invalid and skips unchanged configs", async () => {
    const seen: number[] = [];
    const tunable = definePlugin({
      manifest: manifest("tunable"),
      config: Type.Object({ level: Type.Integer({ minimum: 1, default: 1 }) }),
      setup: (_ctx, config) => ({
        start: () => void seen.push(config.level),
        reconfigure: (next) => void seen.push(next.level),
      }),
    });
    await host.start([spec(tunable, { level: 1 })]);
    await host.reconfigure("tunable", { level: 1 });
    await expect(host.reconfigure("tunable", { level: 0 })).rejects.toThrow(
      "tunable.config.level must be >= 1",
    );
    await host.reconfigure("tunable", { level: 2 });
    expect({ seen, state: stateOf("tunable") }).toEqual({ seen: [1, 2], state: "running" });
  });

  it("exports plugin state, restarts and errors as metrics", async () => {
    const throwing = definePlugin({
      manifest: manifest("throwing"),
      config: Type.Object({}),
      setup: () => {
        throw new Error("boom");
      },
    });
    await host.start([spec(throwing)]);
    const text = await registry.metrics();
    expect(text).toContain('mtx_agent_plugin_state{plugin="throwing",state="failed"} 1');
    expect(text).toContain('mtx_agent_plugin_errors_total{plugin="throwing"} 1');
  });

  it("records a plugin's journal events durably in the outbox, with path and request id", async () => {
    const journaling = definePlugin({
      manifest: manifest("journaling"),
      config: Type.Object({}),
      setup: (ctx) => ({
        start: async () => {
          await ctx.journal.record({
            kind: "journaling.seen",
            payload: { n: 1 },
            path: "cam/1",
            requestId: "r-1",
          });
        },
      }),
    });
    await host.start([spec(journaling)]);
    const [record] = await outbox.read({ afterSeq: 0 });
    expect(record).toMatchObject({
      kind: "journaling.seen",
      payload: { n: 1 },
      path: "cam/1",
      requestId: "r-1",
    });
  });

  it("combines stream health across plugins (worst wins) and drops a stopped plugin's reports", async () => {
    const health = (verdict: "healthy" | "unhealthy", code?: string) => ({
      verdict,
      reasons: code === undefined ? [] : [{ code, severity: "unhealthy" as const, message: code }],
      values: { [`${verdict}Value`]: 1 },
      checkedAt: 1_000,
      since: 500,
    });
    const reporter = (name: string, verdict: "healthy" | "unhealthy", code?: string) =>
      definePlugin({
        manifest: manifest(name),
        config: Type.Object({}),
        setup: (ctx) => ({
          start: () => {
            ctx.streams.setHealth("cam/1", health(verdict, code));
            ctx.streams.setOwnReaders("cam/1", 1);
          },
        }),
      });
    await host.start([spec(reporter("good", "healthy")), spec(reporter("bad", "unhealthy", "black"))]);
    expect([host.streams.health("cam/1"), host.streams.ownReaders("cam/1")]).toEqual([
      {
        verdict: "unhealthy",
        reasons: [{ code: "black", severity: "unhealthy", message: "black" }],
        values: { healthyValue: 1, unhealthyValue: 1 },
        checkedAt: 1_000,
        since: 500,
      },
      2,
    ]);
    await host.remove("bad");
    expect([host.streams.health("cam/1"), host.streams.ownReaders("cam/1")]).toEqual([health("healthy"), 1]);
  });

  it("invokes a plugin's action, refuses a name another plugin holds, and forgets it on stop", async () => {
    const offering = (name: string) =>
      definePlugin({
        manifest: manifest(name),
        config: Type.Object({}),
        setup: (ctx) => ({
          start: () =>
            ctx.actions.register("demo.echo", (input, actx) => ({ input, by: name, id: actx.requestId })),
        }),
      });
    await host.start([spec(offering("first")), spec(offering("second"))]);
    expect(stateOf("second")).toBe("failed");
    const ctx = { requestId: "r-7", deadlineMs: Date.now() + 1_000, signal: new AbortController().signal };
    expect(await host.actions.invoke("demo.echo", { a: 1 }, ctx)).toEqual({
      input: { a: 1 },
      by: "first",
      id: "r-7",
    });
    await host.remove("first");
    await expect(host.actions.invoke("demo.echo", {}, ctx)).rejects.toMatchObject({
      code: "MTX_UNAVAILABLE",
    });
  });
});
