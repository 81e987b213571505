import { createHash } from "node:crypto";
import type { MtxSnapshot } from "@mtx-fleet/mediamtx";
import {
  type Clock,
  type EventJournal,
  type Logger,
  type MediaMtxHookEvent,
  MtxError,
  type Scheduler,
} from "@mtx-fleet/plugin-api";
import { renderArgv } from "./command-template.ts";
import type { CompiledEntry, CompiledPlan } from "./compile-plan.ts";
import type { ForwarderDestinations } from "./forwarder-destinations.ts";
import type { OrchestrationMetrics } from "./orchestration-metrics.ts";
import { createRedactor, redactUrl } from "./redact-url.ts";
import { StreamAvailability, type StreamFacts } from "./stream-availability.ts";
import { workerJournalEvent } from "./worker-journal-event.ts";
import type { WorkerEvent, WorkerLaunch, WorkerSpec, WorkerStatus } from "./worker-spec.ts";
import { WorkerSupervisor } from "./worker-supervisor.ts";

export interface OrchestratorDeps {
  readonly scheduler: Pick<Scheduler, "after">;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly journal: EventJournal;
  readonly metrics: OrchestrationMetrics;
  readonly destinations: ForwarderDestinations;
  /** Where running process groups are recorded (to be found again after an agent crash). */
  readonly groups: { add(pgid: number, worker: string): void; remove(pgid: number): void };
  /** The agent's environment, read once by the plugin; only `plan.inheritEnv` names pass on. */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** One process the current plan wants for an available stream. */
interface Desired {
  readonly id: string;
  readonly entry: CompiledEntry;
  readonly captures: Readonly<Record<string, string>>;
  readonly destination: string | null;
}

/** Masks the values of a publisher's query (`?user=x&pass=y`) in logs: they are often credentials. */
function queryFragments(query: string): string[] {
  return [...new URLSearchParams(query).values()].filter((v) => v.length >= 4);
}

function shortHash(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 12);
}

/**
 * Turns stream availability into processes: for every available stream, one worker per
 * matching rule and one forwarder per (matching forwarder, destination); a process whose stream
 * went away is released into its grace period, one whose rule or destination went away is
 * stopped at once. Hooks and snapshots both feed `StreamAvailability`; each change reconciles
 * only the paths it touched.
 */
export class Orchestrator {
  readonly #deps: OrchestratorDeps;
  #plan: CompiledPlan;
  readonly #streams: StreamAvailability;
  readonly #workers = new Map<string, WorkerSupervisor>();
  readonly #journalWrites = new Set<Promise<unknown>>();
  #shutDown = false;

  constructor(plan: CompiledPlan, deps: OrchestratorDeps) {
    this.#deps = deps;
    this.#plan = plan;
    this.#streams = new StreamAvailability((path) => this.#matches(path));
  }

  onHook(event: MediaMtxHookEvent): void {
    if (this.#shutDown) return;
    const facts = this.#streams.fromHook(event);
    if (facts !== null) this.#reconcilePath(facts.path);
  }

  onSnapshot(snapshot: MtxSnapshot): void {
    if (this.#shutDown || !this.#plan.reconcileFromSnapshot) return;
    for (const facts of this.#streams.fromSnapshot(snapshot)) {
      // Debug: with hooks, a poll often sees a change just before its hook arrives.
      this.#deps.logger.debug(
        { path: facts.path, available: facts.available },
        "stream availability taken from the API snapshot",
      );
      this.#reconcilePath(facts.path);
    }
  }

  /** A new plan (reconfigure): processes of changed or removed entries stop first, then reconcile. */
  async setPlan(plan: CompiledPlan): Promise<void> {
    const kept = new Map(plan.entries.map((e) => [`${e.kind}/${e.name}`, e.fingerprint]));
    const outdated = [...this.#workers.values()].filter((w) => {
      const old = this.#entryOf(w.spec);
      return old === undefined || kept.get(`${old.kind}/${old.name}`) !== old.fingerprint;
    });
    const envChanged = plan.inheritEnv.join() !== this.#plan.inheritEnv.join();
    const urlsChanged = plan.rtmpUrl !== this.#plan.rtmpUrl || plan.rtspUrl !== this.#plan.rtspUrl;
    const restart = envChanged || urlsChanged ? [...this.#workers.values()] : outdated;
    await Promise.all(restart.map((w) => w.stop("config")));
    for (const w of restart) this.#forget(w);
    this.#plan = plan;
    this.#streams.setRelevant((path) => this.#matches(path));
    this.reconcileAll();
  }

  /** Reconciles every available stream (after a plan or destination change). */
  reconcileAll(): void {
    const paths = new Set([
      ...this.#streams.availablePaths(),
      ...[...this.#workers.values()].map((w) => w.spec.path),
    ]);
    for (const path of paths) this.#reconcilePath(path);
  }

  list(): WorkerStatus[] {
    return [...this.#workers.values()].map((w) => w.status()).sort((a, b) => a.id.localeCompare(b.id));
  }

  /** An operator's restart of one process; false when there is no such (wanted) process. */
  async restart(id: string): Promise<boolean> {
    const worker = this.#workers.get(id);
    if (worker === undefined || !this.#streams.get(worker.spec.path)?.available) return false;
    await worker.restart();
    return true;
  }

  /** Kills every process group and waits for them, then for the journal writes they caused. */
  async shutdown(): Promise<void> {
    this.#shutDown = true;
    await Promise.all([...this.#workers.values()].map((w) => w.shutdown()));
    await Promise.allSettled([...this.#journalWrites]);
  }

  #matches(path: string): boolean {
    return this.#plan.entries.some((e) => e.pattern.match(path) !== null);
  }

  #entryOf(spec: WorkerSpec): CompiledEntry | undefined {
    return this.#plan.entries.find((e) => e.kind === spec.kind && e.name === spec.name);
  }

  #desiredFor(facts: StreamFacts | undefined, path: string): Desired[] {
    if (facts === undefined || !facts.available) return [];
    const desired: Desired[] = [];
    for (const entry of this.#plan.entries) {
      const captures = entry.pattern.match(path);
      if (captures === null) continue;
      if (entry.kind === "worker") {
        desired.push({ id: `worker/${entry.name}/${path}`, entry, captures, destination: null });
        continue;
      }
      for (const destination of this.#destinationsOf(entry, path, captures, facts)) {
        const id = `forwarder/${entry.name}/${path}/${shortHash(destination)}`;
        desired.push({ id, entry, captures, destination });
      }
    }
    return desired;
  }

  /** The config's destinations (templates) and the stream's own ones from the store, deduplicated. */
  #destinationsOf(
    entry: CompiledEntry,
    path: string,
    captures: Readonly<Record<string, string>>,
    facts: StreamFacts,
  ): string[] {
    const values = this.#values(path, captures, facts.query);
    const fromConfig = entry.destinations.map((t) => t.render(values));
    const fromStore = this.#deps.destinations.get(captures.streamId ?? path);
    return [...new Set([...fromConfig, ...fromStore])];
  }

  #values(path: string, captures: Readonly<Record<string, string>>, query: string): Record<string, string> {
    return { ...captures, path, query, rtmpUrl: this.#plan.rtmpUrl, rtspUrl: this.#plan.rtspUrl };
  }

  #reconcilePath(path: string): void {
    if (this.#shutDown) return;
    const facts = this.#streams.get(path);
    const desired = new Map(this.#desiredFor(facts, path).map((d) => [d.id, d]));
    for (const worker of [...this.#workers.values()]) {
      if (worker.spec.path !== path || desired.has(worker.spec.id)) continue;
      if (facts?.available === true) {
        // The stream is there but this process is no longer wanted: config or destination change.
        this.#forget(worker);
        void worker.stop("config");
      } else {
        worker.release(this.#entryOf(worker.spec)?.graceMs ?? 0);
      }
    }
    for (const d of desired.values()) {
      let worker = this.#workers.get(d.id);
      if (worker === undefined) {
        worker = this.#create(d, path);
        this.#workers.set(d.id, worker);
      }
      worker.want(this.#launch(d, path, facts?.trigger ?? null));
    }
    this.#publishRunning();
  }

  #create(d: Desired, path: string): WorkerSupervisor {
    const { entry } = d;
    const spec: WorkerSpec = {
      id: d.id,
      kind: entry.kind,
      name: entry.name,
      path,
      streamId: d.captures.streamId ?? null,
      destination: d.destination === null ? null : redactUrl(d.destination),
      restart: entry.restart,
      stopSignal: entry.stopSignal,
      stopTimeoutMs: entry.stopTimeoutMs,
    };
    const logger = this.#deps.logger.child({
      path,
      streamId: spec.streamId,
      worker: d.id,
      ...(spec.destination === null ? {} : { destination: spec.destination }),
    });
    return new WorkerSupervisor(spec, {
      scheduler: this.#deps.scheduler,
      clock: this.#deps.clock,
      logger,
      onEvent: (s, event) => this.#onWorkerEvent(s, event),
    });
  }

  /** Rendered at each spawn, so a restart uses the stream's current query. */
  #launch(d: Desired, path: string, trigger: WorkerLaunch["trigger"]): WorkerLaunch {
    const query = this.#streams.get(path)?.query ?? "";
    const redact = createRedactor(d.destination === null ? [] : [d.destination], queryFragments(query));
    return {
      trigger,
      redact,
      render: () => {
        const current = this.#streams.get(path)?.query ?? query;
        const values = this.#values(path, d.captures, current);
        if (d.entry.input !== null && d.destination !== null) {
          values.input = d.entry.input.render(values);
          values.destination = d.destination;
        }
        return { argv: renderArgv(d.entry.command, values), env: this.#env(d.entry, values) };
      },
    };
  }

  /**
   * Only `inheritEnv` names from the agent (its environment may carry the hub token), the
   * entry's own variables, and `MTX_PATH`/`MTX_QUERY` as MediaMTX gives its hooks.
   */
  #env(entry: CompiledEntry, values: Readonly<Record<string, string>>): Record<string, string> {
    const env: Record<string, string> = {};
    for (const name of this.#plan.inheritEnv) {
      const value = this.#deps.env[name];
      if (value !== undefined) env[name] = value;
    }
    for (const [name, template] of entry.env) env[name] = template.render(values);
    env.MTX_PATH = values.path ?? "";
    env.MTX_QUERY = values.query ?? "";
    return env;
  }

  #forget(worker: WorkerSupervisor): void {
    if (this.#workers.get(worker.spec.id) === worker) this.#workers.delete(worker.spec.id);
  }

  #onWorkerEvent(spec: WorkerSpec, event: WorkerEvent): void {
    const { metrics, clock, journal, logger } = this.#deps;
    const now = clock.now();
    switch (event.type) {
      case "state": {
        const worker = this.#workers.get(spec.id);
        // Stopped and no longer wanted: nothing left to show or to do.
        if (worker?.idle === true && event.state.kind === "stopped") this.#forget(worker);
        this.#publishRunning();
        break;
      }
      case "started":
        this.#deps.groups.add(event.pid, spec.id);
        if (event.cause !== "ready") metrics.restarted(spec.kind, spec.name);
        if (event.trigger !== null && event.trigger.origin !== "snapshot") {
          metrics.startLatency(spec.kind, Math.max(0, now - event.trigger.occurredAt) / 1000);
        }
        break;
      case "exited":
        this.#deps.groups.remove(event.pid);
        metrics.exited(spec.kind, spec.name);
        break;
      case "spawn-failed":
        metrics.exited(spec.kind, spec.name);
        break;
      case "stopped":
        this.#deps.groups.remove(event.pid);
        break;
      default:
        event satisfies never;
    }
    const record = workerJournalEvent(spec, event, now);
    if (record === null) return;
    const write = journal.record(record).catch((error: unknown) => {
      logger.warn(
        { path: spec.path, worker: spec.id, err: MtxError.from(error).toJSON() },
        "worker event not journaled",
      );
    });
    this.#journalWrites.add(write);
    void write.finally(() => this.#journalWrites.delete(write));
  }

  #publishRunning(): void {
    this.#deps.metrics.running(this.list());
  }
}
