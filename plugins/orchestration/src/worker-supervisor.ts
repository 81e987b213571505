import type { Clock, Logger, ScheduledTask, Scheduler } from "@mtx-fleet/plugin-api";
import { MtxError } from "@mtx-fleet/plugin-api";
import { backoffDelay } from "./backoff-delay.ts";
import { type ProcessGroup, spawnProcessGroup } from "./process-group.ts";
import { attachWorkerOutput } from "./worker-output.ts";
import type { StartCause, WorkerEvent, WorkerLaunch, WorkerSpec, WorkerStatus } from "./worker-spec.ts";
import { type ExitInfo, pidOf, type StopReason, type WorkerState } from "./worker-state.ts";

export interface SupervisorDeps {
  readonly scheduler: Pick<Scheduler, "after">;
  readonly clock: Clock;
  /** Carries `path`, `streamId` and `worker`. */
  readonly logger: Logger;
  readonly onEvent: (spec: WorkerSpec, event: WorkerEvent) => void;
}

/**
 * Keeps exactly one process group for one (rule, stream): started when wanted, kept through a
 * grace period when released (and resumed, same pid, when wanted again within it), restarted
 * with backoff + jitter after it exits, the whole group killed on stop. All transitions happen
 * here; timers are the plugin's scheduler, so nothing outlives the plugin.
 */
export class WorkerSupervisor {
  readonly spec: WorkerSpec;
  readonly #deps: SupervisorDeps;
  #state: WorkerState;
  #launch: WorkerLaunch | null = null;
  #wanted = false;
  #disposed = false;
  #releasedAt = 0;
  #graceMs = 0;
  #group: ProcessGroup | null = null;
  #startedAt = 0;
  #timer: ScheduledTask | null = null;
  /** Consecutive failures since the last stable run; the backoff exponent. */
  #failures = 0;
  #restarts = 0;
  #lastExit: ExitInfo | null = null;
  #spawning: Promise<void> | null = null;
  #stopping: Promise<void> | null = null;
  #startAfterStop = false;
  #nextCause: StartCause = "ready";
  /** The previous group's leftovers being killed; the next spawn waits for it. */
  #cleanup: Promise<unknown> = Promise.resolve();

  constructor(spec: WorkerSpec, deps: SupervisorDeps) {
    this.spec = spec;
    this.#deps = deps;
    this.#state = { kind: "stopped", since: deps.clock.now(), reason: null, lastExit: null };
  }

  get state(): WorkerState {
    return this.#state;
  }

  /** True when nothing runs and nothing is pending (it can be forgotten). */
  get idle(): boolean {
    return this.#state.kind === "stopped" && !this.#wanted;
  }

  status(): WorkerStatus {
    return {
      id: this.spec.id,
      kind: this.spec.kind,
      name: this.spec.name,
      path: this.spec.path,
      streamId: this.spec.streamId,
      destination: this.spec.destination,
      state: this.#state.kind,
      pid: pidOf(this.#state),
      restarts: this.#restarts,
      since: this.#state.since,
      lastExit: this.#lastExit,
    };
  }

  /** The stream is (still) there: run the worker, or keep it and cancel a pending grace stop. */
  want(launch: WorkerLaunch): void {
    if (this.#disposed) return;
    this.#launch = launch;
    this.#wanted = true;
    // A stop in progress (its spawn may still be completing): start again once it is done.
    if (this.#stopping !== null) {
      this.#startAfterStop = true;
      return;
    }
    const state = this.#state;
    switch (state.kind) {
      case "starting":
      case "running":
      case "backoff":
        return;
      case "grace":
        this.#cancelTimer();
        this.#deps.logger.info({ pid: state.pid }, "stream back within the grace period; worker kept");
        this.#setState({ kind: "running", since: this.#deps.clock.now(), pid: state.pid });
        return;
      case "stopping": // not reached: #stopping is set while stopping
      case "stopped":
        this.#startSpawn();
        return;
      default:
        state satisfies never;
    }
  }

  /** The stream went away: stop the worker after `graceMs` unless it is wanted again first. */
  release(graceMs: number): void {
    if (!this.#wanted) return;
    this.#wanted = false;
    this.#startAfterStop = false;
    this.#releasedAt = this.#deps.clock.now();
    this.#graceMs = graceMs;
    const state = this.#state;
    switch (state.kind) {
      case "running":
        this.#enterGrace(state.pid);
        return;
      case "backoff":
        this.#cancelTimer();
        this.#setState({
          kind: "stopped",
          since: this.#releasedAt,
          reason: "released",
          lastExit: this.#lastExit,
        });
        return;
      case "starting": // decided when the spawn completes
      case "grace":
      case "stopping":
      case "stopped":
        return;
      default:
        state satisfies never;
    }
  }

  /** Stops the worker now (config change) and, with `startAgain`, starts it right after. */
  async stop(reason: StopReason, startAgain = false): Promise<void> {
    this.#cancelTimer();
    this.#startAfterStop = startAgain && this.#wanted && !this.#disposed;
    if (this.#stopping === null) {
      this.#stopping = this.#stopGroup(reason).finally(() => {
        this.#stopping = null;
      });
    }
    await this.#stopping;
    if (this.#startAfterStop && this.#wanted && !this.#disposed && this.#state.kind === "stopped") {
      this.#startAfterStop = false;
      this.#startSpawn();
    }
  }

  /** An operator's restart: stop the group, then start at once with the backoff reset. */
  async restart(): Promise<void> {
    if (!this.#wanted || this.#disposed) return;
    this.#failures = 0;
    this.#restarts++;
    this.#nextCause = "operator";
    if (this.#state.kind === "backoff") {
      this.#cancelTimer();
      this.#setState({
        kind: "stopped",
        since: this.#deps.clock.now(),
        reason: "restart",
        lastExit: this.#lastExit,
      });
      if (this.#wanted) this.#startSpawn();
      return;
    }
    await this.stop("restart", true);
  }

  /** Final stop (plugin stop, agent shutdown): the group is killed and awaited. */
  async shutdown(): Promise<void> {
    this.#disposed = true;
    this.#wanted = false;
    await this.stop("shutdown");
    await this.#cleanup;
  }

  #startSpawn(): void {
    this.#setState({ kind: "starting", since: this.#deps.clock.now() });
    this.#spawning = this.#spawn().finally(() => {
      this.#spawning = null;
    });
  }

  async #spawn(): Promise<void> {
    const launch = this.#launch;
    if (launch === null) return;
    let group: ProcessGroup;
    let argv: readonly string[];
    try {
      await this.#cleanup;
      // Stopped while the previous group's leftovers were being killed: nothing to start.
      if (this.#stopping !== null || this.#disposed) return;
      const rendered = launch.render();
      argv = rendered.argv;
      group = await spawnProcessGroup(argv, { env: rendered.env });
    } catch (error) {
      this.#onSpawnFailed(MtxError.from(error, "MTX_WORKER_FAILED"));
      return;
    }
    const { clock, logger } = this.#deps;
    this.#group = group;
    this.#startedAt = clock.now();
    attachWorkerOutput(group, {
      logger: logger.child({ pid: group.pid }),
      redact: launch.redact,
      now: clock.now,
    });
    void group.exited.then((exit) => this.#onExit(group, exit));
    // The latency counts from the hook only for the start it caused, not for later restarts.
    const trigger = launch.trigger;
    this.#launch = { ...launch, trigger: null };
    const cause = this.#nextCause;
    this.#nextCause = "ready";
    logger.info({ pid: group.pid, cause, restarts: this.#restarts }, "worker started");
    this.#emit({
      type: "started",
      pid: group.pid,
      restarts: this.#restarts,
      cause,
      argv: argv.map(launch.redact),
      trigger: cause === "ready" ? trigger : null,
    });
    if (this.#stopping !== null) return; // a stop is waiting for this spawn and takes it from here
    this.#setState({ kind: "running", since: this.#startedAt, pid: group.pid });
    // Released while it was starting: the grace runs from the release, not from now.
    if (!this.#wanted) this.#enterGrace(group.pid);
  }

  #onSpawnFailed(error: MtxError): void {
    const restartInMs = this.#wanted && !this.#disposed ? this.#nextDelay() : null;
    this.#deps.logger.error({ err: error.toJSON(), restartInMs }, "worker could not start");
    this.#emit({ type: "spawn-failed", error, restartInMs });
    if (this.#stopping !== null) return;
    this.#afterExit(restartInMs, error.message);
  }

  #onExit(group: ProcessGroup, status: { code: number | null; signal: NodeJS.Signals | null }): void {
    if (this.#group !== group || this.#stopping !== null) return; // a stop took it down
    const now = this.#deps.clock.now();
    const exit: ExitInfo = { ...status, at: now, runMs: now - this.#startedAt };
    this.#group = null;
    this.#lastExit = exit;
    // Children of the leader are still in the group: kill them before anything starts again.
    this.#cleanup = group.terminate({ signal: this.spec.stopSignal, timeoutMs: this.spec.stopTimeoutMs });
    if (exit.runMs >= this.spec.restart.stableAfterMs) this.#failures = 0;
    const restartInMs = this.#wanted && !this.#disposed ? this.#nextDelay() : null;
    this.#deps.logger.warn({ pid: group.pid, ...status, runMs: exit.runMs, restartInMs }, "worker exited");
    this.#emit({ type: "exited", pid: group.pid, exit, restartInMs });
    this.#afterExit(restartInMs, null);
  }

  #afterExit(restartInMs: number | null, error: string | null): void {
    this.#cancelTimer();
    const now = this.#deps.clock.now();
    if (restartInMs === null) {
      this.#setState({ kind: "stopped", since: now, reason: "exited", lastExit: this.#lastExit });
      return;
    }
    this.#setState({
      kind: "backoff",
      since: now,
      retryAt: now + restartInMs,
      lastExit: this.#lastExit,
      error,
    });
    this.#timer = this.#deps.scheduler.after(restartInMs, () => {
      this.#timer = null;
      if (this.#state.kind !== "backoff" || !this.#wanted || this.#disposed) return;
      this.#restarts++;
      this.#nextCause = "backoff";
      this.#startSpawn();
    });
  }

  #nextDelay(): number {
    return backoffDelay(this.#failures++, this.spec.restart);
  }

  #enterGrace(pid: number): void {
    const now = this.#deps.clock.now();
    const remainingMs = Math.max(0, this.#releasedAt + this.#graceMs - now);
    this.#setState({ kind: "grace", since: now, pid, stopAt: now + remainingMs });
    this.#cancelTimer();
    this.#timer = this.#deps.scheduler.after(remainingMs, async () => {
      this.#timer = null;
      if (this.#state.kind === "grace") await this.stop("grace");
    });
  }

  async #stopGroup(reason: StopReason): Promise<void> {
    await this.#spawning;
    const group = this.#group;
    const { clock } = this.#deps;
    if (group !== null) {
      this.#setState({ kind: "stopping", since: clock.now(), pid: group.pid, reason });
      const result = await group.terminate({
        signal: this.spec.stopSignal,
        timeoutMs: this.spec.stopTimeoutMs,
      });
      const now = clock.now();
      const exit: ExitInfo = { ...result.exit, at: now, runMs: now - this.#startedAt };
      this.#group = null;
      this.#lastExit = exit;
      if (!result.empty) this.#deps.logger.error({ pid: group.pid }, "process group survived SIGKILL");
      this.#emit({ type: "stopped", pid: group.pid, reason, exit, forced: result.forced });
    }
    await this.#cleanup;
    this.#setState({ kind: "stopped", since: clock.now(), reason, lastExit: this.#lastExit });
  }

  #cancelTimer(): void {
    this.#timer?.cancel();
    this.#timer = null;
  }

  #setState(state: WorkerState): void {
    this.#state = state;
    this.#emit({ type: "state", state });
  }

  #emit(event: WorkerEvent): void {
    this.#deps.onEvent(this.spec, event);
  }
}
