import { waitFor } from "@mtx-fleet/testkit";
import { afterEach, describe, expect, it } from "vitest";
import type { RestartPolicy } from "./backoff-delay.ts";
import { groupMembers } from "./group-members.ts";
import { createMemoryLogger } from "./testing/memory-logger.ts";
import { TEST_WORKER } from "./testing/test-worker-path.ts";
import { createTimerScheduler } from "./testing/timer-scheduler.ts";
import type { WorkerEvent, WorkerLaunch } from "./worker-spec.ts";
import type { WorkerState } from "./worker-state.ts";
import { WorkerSupervisor } from "./worker-supervisor.ts";

const clock = { now: () => Date.now(), monotonicMs: () => performance.now() };
const NO_JITTER: RestartPolicy = { baseMs: 100, maxMs: 400, jitter: 0, stableAfterMs: 60_000 };
const supervisors: WorkerSupervisor[] = [];
const schedulers: Array<ReturnType<typeof createTimerScheduler>> = [];

afterEach(async () => {
  await Promise.all(supervisors.splice(0).map((s) => s.shutdown()));
  for (const s of schedulers.splice(0)) s.cancelAll();
});

function launch(...args: string[]): WorkerLaunch {
  return {
    render: () => ({ argv: [process.execPath, TEST_WORKER, ...args], env: { PATH: process.env.PATH ?? "" } }),
    redact: (text) => text,
    trigger: { hookId: "h1", occurredAt: Date.now(), origin: "hook" },
  };
}

function supervise(options: { restart?: RestartPolicy; stopTimeoutMs?: number } = {}) {
  const events: WorkerEvent[] = [];
  const at = new WeakMap<WorkerEvent, number>();
  const scheduler = createTimerScheduler();
  schedulers.push(scheduler);
  const logger = createMemoryLogger();
  const supervisor = new WorkerSupervisor(
    {
      id: "worker/test/live/s1/in",
      kind: "worker",
      name: "test",
      path: "live/s1/in",
      streamId: "s1",
      destination: null,
      restart: options.restart ?? NO_JITTER,
      stopSignal: "SIGTERM",
      stopTimeoutMs: options.stopTimeoutMs ?? 2_000,
    },
    {
      scheduler,
      clock,
      logger,
      onEvent: (_spec, event) => {
        events.push(event);
        at.set(event, Date.now());
      },
    },
  );
  supervisors.push(supervisor);
  const of = <T extends WorkerEvent["type"]>(type: T) =>
    events.filter((e): e is Extract<WorkerEvent, { type: T }> => e.type === type);
  const until = (ok: (state: WorkerState) => boolean) =>
    waitFor(async () => supervisor.state, ok, 10_000, 10);
  return { supervisor, events, of, until, logger, at: (event: WorkerEvent) => at.get(event) ?? Number.NaN };
}

async function liveMembers(pgid: number): Promise<number[]> {
  return (await groupMembers([pgid])).filter((m) => m.state !== "Z").map((m) => m.pid);
}

describe("WorkerSupervisor", () => {
  it("keeps one process through five ready/not-ready flaps within the grace, then stops it after the grace", async () => {
    const { supervisor, of, until } = supervise();
    supervisor.want(launch("--child"));
    const running = await until((s) => s.kind === "running");
    const pid = running.kind === "running" ? running.pid : -1;
    for (let i = 0; i < 5; i++) {
      supervisor.release(60_000);
      expect(supervisor.state.kind).toBe("grace");
      supervisor.want(launch("--child"));
      expect(supervisor.state).toMatchObject({ kind: "running", pid });
    }
    expect(of("started").map((e) => e.pid)).toEqual([pid]);

    supervisor.release(300);
    const stopped = await until((s) => s.kind === "stopped");
    expect(stopped).toMatchObject({ kind: "stopped", reason: "grace" });
    expect(of("stopped").map((e) => [e.pid, e.reason, e.forced])).toEqual([[pid, "grace", false]]);
    expect(await liveMembers(pid)).toEqual([]);
    expect(supervisor.idle).toBe(true);
  });

  it("restarts a crashing worker with exponential backoff, capped", async () => {
    const { supervisor, of, until, at } = supervise();
    supervisor.want(launch("--exit-after-ms", "50", "--exit-code", "7"));
    await waitFor(
      async () => of("started").length,
      (n) => n >= 5,
      15_000,
      20,
    );
    supervisor.release(0);
    await until((s) => s.kind === "stopped");
    const exits = of("exited");
    expect(exits.slice(0, 4).map((e) => [e.exit.code, e.restartInMs])).toEqual([
      [7, 100],
      [7, 200],
      [7, 400],
      [7, 400],
    ]);
    const starts = of("started");
    expect(starts.slice(0, 5).map((e) => [e.cause, e.restarts])).toEqual([
      ["ready", 0],
      ["backoff", 1],
      ["backoff", 2],
      ["backoff", 3],
      ["backoff", 4],
    ]);
    // Each restart waited at least its backoff after the exit.
    for (let i = 0; i < 4; i++) {
      const exit = exits[i]!;
      const nextStart = starts[i + 1]!;
      expect(nextStart.restarts).toBe(i + 1);
      expect(at(nextStart) - exit.exit.at).toBeGreaterThanOrEqual(exit.restartInMs! - 5);
    }
    expect(supervisor.status()).toMatchObject({ state: "stopped", restarts: starts.length - 1 });
  });

  it("goes back to the shortest backoff after a stable run", async () => {
    const { supervisor, of } = supervise({ restart: { ...NO_JITTER, stableAfterMs: 100 } });
    supervisor.want(launch("--exit-after-ms", "250"));
    await waitFor(
      async () => of("exited").length,
      (n) => n >= 3,
      15_000,
      20,
    );
    expect(
      of("exited")
        .map((e) => e.restartInMs)
        .slice(0, 3),
    ).toEqual([100, 100, 100]);
  });

  it("does not restart a worker whose stream went away while it waited, nor one that exits in its grace", async () => {
    const { supervisor, of, until } = supervise({ restart: { ...NO_JITTER, baseMs: 5_000, maxMs: 5_000 } });
    supervisor.want(launch("--exit-after-ms", "50"));
    await until((s) => s.kind === "backoff");
    supervisor.release(60_000);
    expect(supervisor.state).toMatchObject({ kind: "stopped", reason: "released" });

    supervisor.want(launch("--exit-after-ms", "300"));
    await until((s) => s.kind === "running");
    supervisor.release(60_000);
    const stopped = await until((s) => s.kind === "stopped");
    expect(stopped).toMatchObject({ kind: "stopped", reason: "exited" });
    expect(of("exited").map((e) => e.restartInMs)).toEqual([5_000, null]);
    expect(of("started")).toHaveLength(2);
  });

  it("retries a command that cannot start, with backoff", async () => {
    const { supervisor, of } = supervise();
    supervisor.want({
      render: () => ({ argv: ["/nonexistent/worker"], env: {} }),
      redact: (t) => t,
      trigger: null,
    });
    await waitFor(
      async () => of("spawn-failed").length,
      (n) => n >= 2,
      10_000,
      20,
    );
    expect(
      of("spawn-failed")
        .map((e) => [e.error.code, e.restartInMs])
        .slice(0, 2),
    ).toEqual([
      ["MTX_WORKER_FAILED", 100],
      ["MTX_WORKER_FAILED", 200],
    ]);
    expect(supervisor.state.kind).toBe("backoff");
  });

  it("starts again only after the previous group is gone when wanted while stopping", async () => {
    const { supervisor, of, until, logger } = supervise({ stopTimeoutMs: 400 });
    supervisor.want(launch("--ignore-term"));
    const first = await until((s) => s.kind === "running");
    const firstPid = first.kind === "running" ? first.pid : -1;
    // Its SIGTERM handler is installed once it has printed its first line.
    await waitFor(
      async () => logger.lines.filter((l) => l.msg.includes('"msg":"started"')).length,
      (n) => n === 1,
    );
    supervisor.release(0);
    await until((s) => s.kind === "stopping");
    supervisor.want(launch());
    const second = await until((s) => s.kind === "running");
    const secondPid = second.kind === "running" ? second.pid : -1;
    expect(secondPid).not.toBe(firstPid);
    expect(of("stopped").map((e) => [e.pid, e.forced])).toEqual([[firstPid, true]]);
    expect(await liveMembers(firstPid)).toEqual([]);
  });

  it("kills the whole group on shutdown, and starts nothing once shut down", async () => {
    const { supervisor, until } = supervise();
    supervisor.want(launch("--child"));
    const running = await until((s) => s.kind === "running");
    const pid = running.kind === "running" ? running.pid : -1;
    await supervisor.shutdown();
    expect(supervisor.state).toMatchObject({ kind: "stopped", reason: "shutdown" });
    expect(await liveMembers(pid)).toEqual([]);

    // Shut down before its spawn got going: nothing is started at all.
    const other = supervise();
    other.supervisor.want(launch("--child"));
    expect(other.supervisor.state.kind).toBe("starting");
    await other.supervisor.shutdown();
    expect([other.of("started"), other.supervisor.state.kind]).toEqual([[], "stopped"]);
    other.supervisor.want(launch());
    expect(other.supervisor.state.kind).toBe("stopped");
  });
});
