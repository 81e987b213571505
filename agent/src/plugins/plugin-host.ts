import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import type { MediaMtxClient, SnapshotPoller } from "@mtx-fleet/mediamtx";
import {
  type Clock,
  type EventJournal,
  type Logger,
  MtxError,
  type MtxErrorBody,
  type NodeIdentity,
  type PluginContext,
  type PluginDefinition,
  type PluginHealth,
  type PluginInstance,
  type PluginRouteHandler,
  type PluginStore,
  parseConfig,
} from "@mtx-fleet/plugin-api";
import type { Registry } from "prom-client";
import { StreamBoardRegistry } from "../streams/stream-board-registry.ts";
import { ActionRegistry } from "./action-registry.ts";
import type { AgentEventBus } from "./agent-event-bus.ts";
import { type BackoffOptions, backoffDelay } from "./backoff-delay.ts";
import { callWithTimeout } from "./call-with-timeout.ts";
import { createHostMetrics, type HostMetrics } from "./host-metrics.ts";
import { orderPlugins } from "./order-plugins.ts";
import { PluginScope } from "./plugin-scope.ts";
import type { PluginState } from "./plugin-state.ts";
import { createScopedMetrics } from "./scoped-metrics.ts";
import { createScopedScheduler } from "./scoped-scheduler.ts";
import { systemClock } from "./system-clock.ts";

export const DEFAULT_PLUGIN_CALL_TIMEOUT_MS = 10_000;
export const DEFAULT_PLUGIN_STOP_TIMEOUT_MS = 5_000;
/** A plugin that ran this long before failing restarts with the shortest backoff again. */
export const DEFAULT_PLUGIN_STABLE_AFTER_MS = 60_000;

/** A plugin to run: a checked definition, or the error that kept it from loading. */
export interface PluginSpec {
  readonly name: string;
  readonly source: string;
  readonly definition: PluginDefinition | MtxError;
  readonly config: unknown;
}

/** The node's MediaMTX client and shared poller, handed to plugins through their context. */
export interface HostMediaMtx {
  readonly client: MediaMtxClient;
  readonly poller: SnapshotPoller;
}

export interface PluginHostOptions {
  readonly logger: Logger;
  readonly mediamtx: HostMediaMtx;
  readonly registry: Registry;
  readonly bus: AgentEventBus;
  readonly node: NodeIdentity;
  readonly storeFor: (plugin: string) => PluginStore;
  /**
   * The directory each plugin gets as `ctx.dataDir` (the agent: `<dataDir>/plugins/<name>`);
   * created before `setup`. Without it, a directory under the OS temp dir.
   */
  readonly dataDirFor?: (plugin: string) => string;
  /** The agent's durable outbox, as plugins record events into it. */
  readonly journal: EventJournal;
  /** Where plugins' stream reports go; a new one when not given. */
  readonly streams?: StreamBoardRegistry;
  /** Where plugins' actions go; a new one when not given. */
  readonly actions?: ActionRegistry;
  readonly clock?: Clock;
  readonly callTimeoutMs?: number;
  readonly stopTimeoutMs?: number;
  readonly stableAfterMs?: number;
  readonly backoff?: BackoffOptions;
}

/** What the local API and `/metrics` show of one plugin. */
export interface PluginStatus {
  readonly name: string;
  readonly version: string | null;
  readonly source: string;
  readonly state: PluginState;
  readonly restarts: number;
  readonly errors: number;
  readonly lastError: MtxErrorBody | null;
  /** Live registrations (timers, listeners, metrics, routes) of the current run. */
  readonly registrations: number;
}

interface Entry {
  readonly spec: PluginSpec;
  config: unknown;
  state: PluginState;
  generation: number;
  restarts: number;
  errors: number;
  consecutiveFailures: number;
  lastError: MtxErrorBody | null;
  scope: PluginScope | undefined;
  instance: PluginInstance<unknown> | undefined;
  retryTimer: NodeJS.Timeout | undefined;
  readonly routes: Map<string, PluginRouteHandler>;
}

/**
 * Runs plugins: checks them before anything runs, starts them in dependency order, guards and
 * times every call into them, restarts a failed one with backoff + jitter while the others keep
 * running, and removes everything a stopped run registered.
 */
export class PluginHost {
  readonly #options: PluginHostOptions;
  readonly #clock: Clock;
  readonly #metrics: HostMetrics;
  readonly #entries = new Map<string, Entry>();
  #order: string[] = [];
  #stopping = false;
  /** What running plugins report about streams (health, own readers). */
  readonly streams: StreamBoardRegistry;
  /** What running plugins offer to hub commands and the agent. */
  readonly actions: ActionRegistry;

  constructor(options: PluginHostOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    this.#metrics = createHostMetrics(options.registry);
    this.streams = options.streams ?? new StreamBoardRegistry();
    this.actions = options.actions ?? new ActionRegistry();
  }

  /** Adds plugins and starts them in dependency order; resolves when each has started or failed. */
  async start(specs: readonly PluginSpec[]): Promise<void> {
    for (const spec of specs) this.#add(spec);
    const candidates = [...this.#entries.values()].filter((e) => e.state.kind === "pending");
    const { order, rejected } = orderPlugins(
      candidates.map((entry) => ({
        name: entry.spec.name,
        dependencies:
          entry.spec.definition instanceof MtxError
            ? []
            : (entry.spec.definition.manifest.dependencies ?? []),
      })),
    );
    for (const [name, error] of rejected) this.#reject(this.#entries.get(name), error);
    this.#order.push(...order);
    for (const name of order) {
      const entry = this.#entries.get(name);
      if (entry !== undefined) await this.#run(entry);
    }
  }

  /** Stops every plugin in reverse start order, each within the stop timeout. */
  async stop(): Promise<void> {
    this.#stopping = true;
    for (const name of [...this.#order].reverse()) {
      const entry = this.#entries.get(name);
      if (entry !== undefined) await this.#stopEntry(entry);
    }
  }

  /**
   * Gives a plugin a new config. Unchanged config: nothing happens. Invalid config: throws
   * `MTX_INVALID_INPUT` and the plugin keeps its old one. Otherwise `reconfigure` is called, or
   * the plugin is restarted when it has none.
   */
  async reconfigure(name: string, rawConfig: unknown): Promise<void> {
    const entry = this.#entries.get(name);
    if (entry === undefined || entry.spec.definition instanceof MtxError) return;
    const config = parseConfig(entry.spec.definition.config, rawConfig, `plugins.${name}.config`);
    if (isDeepStrictEqual(config, entry.config)) return;
    entry.config = config;
    const instance = entry.instance;
    if (entry.state.kind === "running" && instance?.reconfigure !== undefined) {
      const generation = entry.generation;
      try {
        await this.#timed(entry, "reconfigure", () => instance.reconfigure?.(config));
      } catch (error) {
        this.#fail(entry, generation, error);
      }
      return;
    }
    await this.#stopEntry(entry);
    await this.#run(entry);
  }

  /** Stops a plugin and starts it again (an operator action); a final failure stays final. */
  async restart(name: string): Promise<void> {
    const entry = this.#entries.get(name);
    if (entry === undefined || (entry.state.kind === "failed" && entry.state.retryAt === null)) return;
    await this.#stopEntry(entry);
    entry.restarts += 1;
    this.#metrics.restart(name);
    await this.#run(entry);
  }

  /** Stops and forgets a plugin (it was removed from the config). */
  async remove(name: string): Promise<void> {
    const entry = this.#entries.get(name);
    if (entry === undefined) return;
    await this.#stopEntry(entry);
    this.#entries.delete(name);
    this.#order = this.#order.filter((n) => n !== name);
    this.#metrics.forget(name);
  }

  /** Names of the plugins the host knows. */
  names(): readonly string[] {
    return [...this.#entries.keys()];
  }

  status(): readonly PluginStatus[] {
    return [...this.#entries.values()].map((entry) => ({
      name: entry.spec.name,
      version: entry.spec.definition instanceof MtxError ? null : entry.spec.definition.manifest.version,
      source: entry.spec.source,
      state: entry.state,
      restarts: entry.restarts,
      errors: entry.errors,
      lastError: entry.lastError,
      registrations: entry.scope?.size ?? 0,
    }));
  }

  /** The plugin's own health report (guarded and timed); `failed` when it is not running. */
  async health(name: string): Promise<PluginHealth> {
    const entry = this.#entries.get(name);
    if (entry === undefined || entry.state.kind !== "running") {
      return {
        status: "failed",
        reason: entry === undefined ? "unknown plugin" : `plugin is ${entry.state.kind}`,
      };
    }
    const instance = entry.instance;
    if (instance?.health === undefined) return { status: "ok" };
    try {
      return await this.#timed(entry, "health", () => instance.health?.() ?? { status: "ok" as const });
    } catch (error) {
      return { status: "failed", reason: MtxError.from(error).message };
    }
  }

  /** The handler a running plugin registered for `method path`, if any. */
  route(name: string, method: string, path: string): PluginRouteHandler | undefined {
    const entry = this.#entries.get(name);
    return entry?.state.kind === "running" ? entry.routes.get(`${method} ${path}`) : undefined;
  }

  #add(spec: PluginSpec): void {
    if (this.#entries.has(spec.name)) {
      throw new MtxError("MTX_PLUGIN_INVALID", `plugin '${spec.name}' is configured twice`, {
        details: { plugin: spec.name },
      });
    }
    const entry: Entry = {
      spec,
      config: undefined,
      state: { kind: "pending" },
      generation: 0,
      restarts: 0,
      errors: 0,
      consecutiveFailures: 0,
      lastError: null,
      scope: undefined,
      instance: undefined,
      retryTimer: undefined,
      routes: new Map(),
    };
    this.#entries.set(spec.name, entry);
    if (spec.definition instanceof MtxError) {
      this.#reject(entry, spec.definition);
      return;
    }
    try {
      entry.config = parseConfig(spec.definition.config, spec.config, `plugins.${spec.name}.config`);
    } catch (error) {
      this.#reject(entry, MtxError.from(error, "MTX_INVALID_INPUT"));
    }
    this.#metrics.state(spec.name, entry.state);
  }

  /** Final failure: this plugin cannot run with what it was given. */
  #reject(entry: Entry | undefined, error: MtxError): void {
    if (entry === undefined) return;
    entry.lastError = error.toJSON();
    this.#setState(entry, { kind: "failed", error: error.toJSON(), retryAt: null });
    this.#options.logger.error({ plugin: entry.spec.name, err: error.toJSON() }, "plugin cannot run");
  }

  async #run(entry: Entry): Promise<void> {
    const definition = entry.spec.definition;
    if (this.#stopping || definition instanceof MtxError) return;
    if (entry.state.kind === "failed" && entry.state.retryAt === null) return;
    const waitingFor = (definition.manifest.dependencies ?? []).filter(
      (dependency) => this.#entries.get(dependency)?.state.kind !== "running",
    );
    if (waitingFor.length > 0) {
      this.#setState(entry, { kind: "blocked", waitingFor });
      return;
    }

    const generation = ++entry.generation;
    const scope = new PluginScope();
    entry.scope = scope;
    this.#setState(entry, { kind: "starting" });
    const onError = (error: unknown): void => this.#fail(entry, generation, error);
    try {
      const dataDir =
        this.#options.dataDirFor?.(entry.spec.name) ?? join(tmpdir(), "mtx-plugins", entry.spec.name);
      // Synchronous on purpose: one syscall per plugin start, and setup keeps running in the
      // same turn as before (tests of plugins count on when their first snapshot arrives).
      mkdirSync(dataDir, { recursive: true });
      const context = this.#context(entry, scope, onError, dataDir);
      const config = entry.config;
      const instance = await this.#timed(entry, "setup", () => definition.setup(context, config as never));
      if (generation !== entry.generation) return;
      entry.instance = instance as PluginInstance<unknown>;
      await this.#timed(entry, "start", () => instance.start?.());
      if (generation !== entry.generation) return;
      this.#setState(entry, { kind: "running", since: this.#clock.now() });
      this.#options.logger.info({ plugin: entry.spec.name, restarts: entry.restarts }, "plugin running");
      await this.#unblock();
    } catch (error) {
      this.#fail(entry, generation, error);
    }
  }

  /** Starts plugins that were waiting for a dependency that is now running. */
  async #unblock(): Promise<void> {
    for (const name of this.#order) {
      const entry = this.#entries.get(name);
      if (entry?.state.kind === "blocked") await this.#run(entry);
    }
  }

  #fail(entry: Entry, generation: number, cause: unknown): void {
    if (generation !== entry.generation || this.#stopping) return;
    const kind = entry.state.kind;
    if (kind === "failed" || kind === "stopping" || kind === "stopped") return;
    const error =
      MtxError.is(cause) && cause.code.startsWith("MTX_PLUGIN_")
        ? cause
        : MtxError.from(cause, "MTX_PLUGIN_FAILED");
    const now = this.#clock.now();
    if (
      kind === "running" &&
      now - entry.state.since >= (this.#options.stableAfterMs ?? DEFAULT_PLUGIN_STABLE_AFTER_MS)
    ) {
      entry.consecutiveFailures = 0;
    }
    const delayMs = backoffDelay(entry.consecutiveFailures, this.#options.backoff);
    entry.consecutiveFailures += 1;
    entry.errors += 1;
    entry.generation += 1; // whatever the failed run still does is ignored from now on
    entry.lastError = error.toJSON();
    this.#metrics.error(entry.spec.name);
    this.#teardown(entry);
    this.#setState(entry, { kind: "failed", error: error.toJSON(), retryAt: now + delayMs });
    this.#options.logger.error(
      {
        plugin: entry.spec.name,
        err: error.toJSON(),
        retryInMs: delayMs,
        failures: entry.consecutiveFailures,
      },
      "plugin failed; restarting after backoff",
    );
    entry.retryTimer = setTimeout(() => {
      entry.retryTimer = undefined;
      entry.restarts += 1;
      this.#metrics.restart(entry.spec.name);
      void this.#run(entry);
    }, delayMs);
  }

  /** Removes what the current run registered and asks it to stop, without waiting long. */
  #teardown(entry: Entry): void {
    const instance = entry.instance;
    entry.instance = undefined;
    entry.scope?.dispose();
    if (instance?.stop === undefined) return;
    const timeoutMs = this.#options.stopTimeoutMs ?? DEFAULT_PLUGIN_STOP_TIMEOUT_MS;
    callWithTimeout(`plugin '${entry.spec.name}' stop`, timeoutMs, () => instance.stop?.()).catch(
      (error: unknown) =>
        this.#options.logger.warn(
          { plugin: entry.spec.name, err: MtxError.from(error).toJSON() },
          "plugin stop failed",
        ),
    );
  }

  async #stopEntry(entry: Entry): Promise<void> {
    clearTimeout(entry.retryTimer);
    entry.retryTimer = undefined;
    const kind = entry.state.kind;
    if (kind !== "running" && kind !== "starting" && kind !== "blocked" && kind !== "failed") return;
    if (kind === "failed" && entry.state.kind === "failed" && entry.state.retryAt === null) return;
    entry.generation += 1;
    this.#setState(entry, { kind: "stopping" });
    const instance = entry.instance;
    entry.instance = undefined;
    if (instance?.stop !== undefined) {
      const timeoutMs = this.#options.stopTimeoutMs ?? DEFAULT_PLUGIN_STOP_TIMEOUT_MS;
      try {
        await this.#timed(entry, "stop", () => instance.stop?.(), timeoutMs);
      } catch (error) {
        this.#options.logger.warn(
          { plugin: entry.spec.name, err: MtxError.from(error).toJSON() },
          "plugin stop failed",
        );
      }
    }
    entry.scope?.dispose();
    this.#setState(entry, { kind: "stopped" });
  }

  async #timed<T>(entry: Entry, call: string, fn: () => T | Promise<T>, timeoutMs?: number): Promise<T> {
    const started = this.#clock.monotonicMs();
    try {
      return await callWithTimeout(
        `plugin '${entry.spec.name}' ${call}`,
        timeoutMs ?? this.#options.callTimeoutMs ?? DEFAULT_PLUGIN_CALL_TIMEOUT_MS,
        fn,
      );
    } finally {
      this.#metrics.call(entry.spec.name, call, (this.#clock.monotonicMs() - started) / 1000);
    }
  }

  #context(
    entry: Entry,
    scope: PluginScope,
    onError: (error: unknown) => void,
    dataDir: string,
  ): PluginContext {
    const name = entry.spec.name;
    return {
      node: this.#options.node,
      logger: this.#options.logger.child({ plugin: name }),
      metrics: createScopedMetrics(this.#options.registry, name, scope),
      store: this.#options.storeFor(name),
      events: this.#options.bus.scoped(scope, onError),
      journal: this.#options.journal,
      streams: this.streams.forPlugin(name, scope),
      actions: this.actions.forPlugin(name, scope),
      scheduler: createScopedScheduler(scope, onError),
      clock: this.#clock,
      signal: scope.signal,
      dataDir,
      mediamtx: {
        client: this.#options.mediamtx.client,
        current: () => this.#options.mediamtx.poller.current(),
        subscribe: (listener) => {
          const off = this.#options.mediamtx.poller.subscribe((event) => {
            try {
              listener(event);
            } catch (error) {
              onError(error);
            }
          });
          const forget = scope.add(off);
          return () => {
            off();
            forget();
          };
        },
      },
      http: {
        route: (method, path, handler) => {
          const key = `${method} ${path}`;
          entry.routes.set(key, handler);
          scope.add(() => entry.routes.delete(key));
        },
      },
    };
  }

  #setState(entry: Entry, state: PluginState): void {
    entry.state = state;
    this.#metrics.state(entry.spec.name, state);
    const error = state.kind === "failed" ? state.error.message : undefined;
    this.#options.bus.emit("plugin.state", {
      plugin: entry.spec.name,
      state: state.kind,
      ...(error === undefined ? {} : { error }),
    });
  }
}
