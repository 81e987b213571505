import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { createMediaMtxClient, createSnapshotPoller } from "@mtx-fleet/mediamtx";
import type { MtxEventName, MtxEvents, PluginDefinition } from "@mtx-fleet/plugin-api";
import { pino } from "pino";
import { Registry } from "prom-client";
import { type Outbox, openOutbox } from "../outbox/index.ts";
import { AgentEventBus } from "../plugins/agent-event-bus.ts";
import { PluginHost, type PluginHostOptions, type PluginStatus } from "../plugins/plugin-host.ts";
import { pluginStoreView } from "../plugins/plugin-store-view.ts";
import { openLocalStore } from "../store/index.ts";

export interface PluginHarnessOptions {
  /** The MediaMTX the plugins talk to (e.g. a test simulator); the poller runs only when given. */
  readonly mediamtxUrl?: string;
  readonly pollIntervalMs?: number;
  readonly node?: { readonly id: string; readonly name: string };
  readonly host?: Partial<
    Pick<PluginHostOptions, "callTimeoutMs" | "stopTimeoutMs" | "stableAfterMs" | "backoff">
  >;
}

/** Plugins running in the agent's real host, for plugin authors' tests. */
export interface PluginHarness extends AsyncDisposable {
  readonly host: PluginHost;
  readonly bus: AgentEventBus;
  readonly registry: Registry;
  /** The real outbox that `ctx.journal` writes to (read it to check recorded events). */
  readonly outbox: Outbox;
  /** `/metrics` text as the agent would serve it. */
  metrics(): Promise<string>;
  status(name: string): PluginStatus | undefined;
  /** Log lines (pino JSON objects) written so far. */
  logs(): ReadonlyArray<Record<string, unknown>>;
  /** Resolves with the next `name` event on the bus. */
  next<K extends MtxEventName>(name: K, timeoutMs?: number): Promise<MtxEvents[K]>;
  stop(): Promise<void>;
}

/**
 * Runs plugins in a real `PluginHost` with a real store in a temp dir, the real event bus,
 * metrics registry and (optionally) MediaMTX poller — the same runtime as `mtx-agent`.
 * ```ts
 * await using harness = await startPluginHarness([{ definition: myPlugin, config: {} }]);
 * expect(harness.status("my-plugin")?.state.kind).toBe("running");
 * ```
 */
export async function startPluginHarness(
  plugins: ReadonlyArray<{ readonly definition: PluginDefinition; readonly config?: unknown }>,
  options: PluginHarnessOptions = {},
): Promise<PluginHarness> {
  const dir = await mkdtemp(join(tmpdir(), "mtx-plugin-harness-"));
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString("utf8").split("\n")) if (line !== "") lines.push(JSON.parse(line));
      done();
    },
  });
  const node = options.node ?? { id: "test-node", name: "test-node" };
  const logger = pino({ level: "debug", base: { node: node.name } }, sink);
  const store = await openLocalStore({ file: join(dir, "state.json"), defaults: {} });
  const registry = new Registry();
  const bus = new AgentEventBus(logger);
  const outbox = await openOutbox({ dir: join(dir, "outbox"), logger });
  const client = createMediaMtxClient({ baseUrl: options.mediamtxUrl ?? "http://127.0.0.1:9" });
  const poller = createSnapshotPoller(client, { intervalMs: options.pollIntervalMs ?? 1_000 });
  if (options.mediamtxUrl !== undefined) poller.start();
  const host = new PluginHost({
    logger,
    registry,
    bus,
    node,
    mediamtx: { client, poller },
    storeFor: (name) => pluginStoreView(store.namespace<Record<string, unknown>>(`plugin.${name}`, {})),
    dataDirFor: (name) => join(dir, "plugins", name),
    journal: { record: (event) => outbox.append(event) },
    callTimeoutMs: 2_000,
    stopTimeoutMs: 2_000,
    backoff: { baseMs: 50, maxMs: 500 },
    ...options.host,
  });
  await host.start(
    plugins.map(({ definition, config }) => ({
      name: definition.manifest.name,
      source: "test",
      definition,
      config: config ?? {},
    })),
  );
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await host.stop();
    await poller.stop();
    await outbox.close();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  };
  return {
    host,
    bus,
    registry,
    outbox,
    metrics: () => registry.metrics(),
    status: (name) => host.status().find((s) => s.name === name),
    logs: () => lines,
    next: (name, timeoutMs = 5_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          off();
          reject(new Error(`no '${name}' event within ${timeoutMs} ms`));
        }, timeoutMs);
        const off = bus.on(name, (payload) => {
          clearTimeout(timer);
          off();
          resolve(payload);
        });
      }),
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
