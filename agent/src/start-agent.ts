import { mkdir } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import {
  type ConnectionGroupName,
  createMediaMtxClient,
  createSnapshotPoller,
  type SnapshotPoller,
} from "@mtx-fleet/mediamtx";
import { type Logger, MtxError, type PluginDefinition } from "@mtx-fleet/plugin-api";
import { collectDefaultMetrics, Registry } from "prom-client";
import { registerAgentMetrics } from "./agent-metrics.ts";
import { createLocalApi, type MediaMtxHealth } from "./api/create-local-api.ts";
import type { LoadedAgentConfig } from "./config/load-agent-config.ts";
import type { LinkClient } from "./link/index.ts";
import { type Outbox, openOutbox } from "./outbox/index.ts";
import { pluginSpecs } from "./plugin-specs.ts";
import { AgentEventBus } from "./plugins/agent-event-bus.ts";
import { PluginHost } from "./plugins/plugin-host.ts";
import { pluginStoreView } from "./plugins/plugin-store-view.ts";
import { StopSteps } from "./stop-steps.ts";
import { openLocalStore } from "./store/index.ts";

export interface StartAgentOptions {
  readonly loaded: LoadedAgentConfig;
  readonly logger: Logger & { level: string };
  readonly version: string;
  readonly builtins: readonly PluginDefinition[];
}

/** A running agent, as `main.ts` drives it. */
export interface RunningAgent {
  readonly localApiUrl: string;
  readonly host: PluginHost;
  readonly outbox: Outbox;
  readonly poller: SnapshotPoller;
  /** Applies a new config (SIGHUP): plugins added, removed or reconfigured; others untouched. */
  reload(next: LoadedAgentConfig): Promise<void>;
  /** Stops everything in reverse start order with per-step timeouts. */
  stop(): Promise<void>;
}

/**
 * Starts the agent's components in order (store, outbox, MediaMTX poller, plugins, local
 * API); a failure part-way stops what already started and rethrows.
 */
export async function startAgent(options: StartAgentOptions): Promise<RunningAgent> {
  const { logger, version, builtins } = options;
  let loaded = options.loaded;
  const { config } = loaded;
  const steps = new StopSteps(logger);
  const startedAt = Date.now();
  let ready = false;
  try {
    await mkdir(config.dataDir, { recursive: true });
    const store = await openLocalStore({ file: join(config.dataDir, "state.json"), defaults: {}, logger });
    steps.add("store", () => store.close());
    const outbox = await openOutbox({
      dir: join(config.dataDir, "outbox"),
      maxBytes: config.outbox.maxBytes,
      maxAgeMs: config.outbox.maxAgeHours * 3_600_000,
      logger,
    });
    steps.add("outbox", () => outbox.close());
    const record = (kind: string, payload: unknown): void => {
      // An event that cannot be stored (disk full) is logged; the agent keeps working.
      outbox
        .append({ kind, payload })
        .catch((error: unknown) => logger.error({ err: error, kind }, "event not stored"));
    };

    const registry = new Registry();
    registry.setDefaultLabels({ node: config.node.name });
    collectDefaultMetrics({ register: registry });

    const client = createMediaMtxClient({
      baseUrl: config.mediamtx.apiUrl,
      timeoutMs: config.mediamtx.timeoutMs,
      ...(config.mediamtx.username === undefined ? {} : { username: config.mediamtx.username }),
      ...(config.mediamtx.password === undefined ? {} : { password: config.mediamtx.password }),
    });
    const poller = createSnapshotPoller(client, {
      intervalMs: config.mediamtx.pollIntervalMs,
      include: config.mediamtx.pollSessions as readonly ConnectionGroupName[],
      jitterRatio: 0.1,
    });
    registerAgentMetrics(registry, { poller, outbox });
    let reachable: boolean | undefined;
    const mediamtxHealth: MediaMtxHealth = { reachable: false, consecutiveFailures: 0, lastError: null };
    poller.subscribe((event) => {
      mediamtxHealth.reachable = event.type === "snapshot";
      mediamtxHealth.consecutiveFailures = event.type === "error" ? event.consecutiveFailures : 0;
      mediamtxHealth.lastError = event.type === "error" ? event.error.toJSON() : null;
      const now = event.type === "snapshot";
      if (now === reachable) return;
      reachable = now;
      if (event.type === "error") {
        logger.warn(
          { err: event.error.toJSON(), failures: event.consecutiveFailures },
          "MediaMTX API unreachable",
        );
        record("mediamtx.unreachable", { error: event.error.toJSON() });
      } else {
        logger.info({ paths: event.snapshot.paths.length }, "MediaMTX API reachable");
        record("mediamtx.reachable", { paths: event.snapshot.paths.length });
      }
    });
    poller.start();
    steps.add("mediamtx poller", () => poller.stop());

    const bus = new AgentEventBus(logger);
    bus.on("plugin.state", (change) => {
      if (change.state === "running" || change.state === "failed") record("plugin.state", change);
    });
    const host = new PluginHost({
      logger,
      mediamtx: { client, poller },
      registry,
      bus,
      node: { id: config.node.name, name: config.node.name },
      storeFor: (name) => pluginStoreView(store.namespace<Record<string, unknown>>(`plugin.${name}`, {})),
      dataDirFor: (name) => join(config.dataDir, "plugins", name),
      journal: { record: (event) => outbox.append(event) },
      callTimeoutMs: config.pluginHost.callTimeoutMs,
      stopTimeoutMs: config.pluginHost.stopTimeoutMs,
      backoff: { baseMs: config.pluginHost.restartBaseMs, maxMs: config.pluginHost.restartMaxMs },
    });
    steps.add("plugins", () => host.stop(), 30_000);
    await host.start(await pluginSpecs(config.plugins, builtins, loaded.baseDir));

    // The hub connection is optional and loaded on demand: a standalone agent never loads gRPC
    // or NATS (that keeps its resident memory down).
    let link: LinkClient | undefined;
    if (config.hub !== undefined) {
      const { connectHub } = await import("./connect-hub.ts");
      link = connectHub({
        hubConfig: config.hub,
        store,
        outbox,
        poller,
        host,
        version,
        mediamtxHealth,
        logger,
        steps,
      });
    }

    const api = createLocalApi({
      nodeName: config.node.name,
      version,
      startedAt,
      token: config.localApi.token,
      registry,
      host,
      outbox,
      poller,
      mediamtxUrl: config.mediamtx.apiUrl,
      mediamtxHealth: () => mediamtxHealth,
      hub: () =>
        link === undefined || config.hub === undefined
          ? { mode: "standalone" }
          : { mode: "linked", url: link.hubUrl(), state: link.state() },
      logger,
      isReady: () => ready,
    });
    await api.listen({ host: config.localApi.host, port: config.localApi.port });
    steps.add("local api", () => api.close());
    const address = api.server.address() as AddressInfo;
    const localApiUrl = `http://${address.family === "IPv6" ? `[${address.address}]` : address.address}:${address.port}`;
    ready = true;
    logger.info({ localApiUrl, plugins: host.names(), mediamtx: config.mediamtx.apiUrl }, "agent started");

    return {
      localApiUrl,
      host,
      outbox,
      poller,
      reload: async (next) => {
        const previous = loaded.config;
        loaded = next;
        logger.level = next.config.log.level;
        const restartOnly = (["dataDir", "mediamtx", "localApi", "outbox", "node"] as const).filter(
          (key) => JSON.stringify(previous[key]) !== JSON.stringify(next.config[key]),
        );
        if (restartOnly.length > 0)
          logger.warn({ keys: restartOnly }, "these settings take effect after a restart");
        const specs = await pluginSpecs(next.config.plugins, builtins, next.baseDir);
        const wanted = new Set(specs.map((s) => s.name));
        for (const name of host.names()) if (!wanted.has(name)) await host.remove(name);
        const known = new Set(host.names());
        await host.start(specs.filter((s) => !known.has(s.name)));
        for (const spec of specs.filter((s) => known.has(s.name))) {
          await host
            .reconfigure(spec.name, spec.config)
            .catch((error: unknown) =>
              logger.error(
                { plugin: spec.name, err: MtxError.from(error).toJSON() },
                "new plugin config rejected; kept the old one",
              ),
            );
        }
        logger.info({ plugins: host.names() }, "config reloaded");
      },
      stop: () => {
        ready = false;
        return steps.run();
      },
    };
  } catch (error) {
    await steps.run();
    throw error;
  }
}
