// Orchestration in a real mtx-agent against the simulator: publish to live/<id>/in starts a real
// ffmpeg that republishes to live/<id>/out; the grace, flapping and crash behaviours with the
// test worker. These runs have no hooks plugin: the agent learns of streams from its API
// snapshot (the second source of truth), so starts lag by up to a poll interval.
import {
  type StartedAgent,
  type StartedSimulator,
  startAgent,
  startSimulator,
  waitFor,
} from "@mtx-fleet/testkit";
import { describe, expect, it } from "vitest";
import { FAST_RESTART, REPUBLISH_RULE, STEADY_RULE, TEST_WORKER } from "./orchestration-rules.ts";

interface Worker {
  readonly id: string;
  readonly name: string;
  readonly path: string;
  readonly state: string;
  readonly pid: number | null;
  readonly restarts: number;
}

const workersOf = async (agent: StartedAgent): Promise<Worker[]> =>
  ((await agent.get("/api/v1/plugins/orchestration/x/workers")).body as { items: Worker[] }).items;

const until = <T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 20_000) =>
  waitFor(read, ok, timeoutMs, 50);

async function pathAvailable(
  sim: StartedSimulator,
  path: string,
): Promise<{ available: boolean; source: string | null }> {
  const res = await fetch(`${sim.apiUrl}/v3/paths/get/${path}`);
  if (res.status === 404) return { available: false, source: null };
  const body = (await res.json()) as { available: boolean; source: { type: string } | null };
  return { available: body.available, source: body.source?.type ?? null };
}

function agentWith(sim: StartedSimulator, orchestration: Record<string, unknown>): Promise<StartedAgent> {
  return startAgent({
    config: {
      mediamtx: { apiUrl: sim.apiUrl, pollIntervalMs: 250 },
      plugins: { orchestration: { config: { mediamtx: { rtmpUrl: sim.rtmpUrl }, ...orchestration } } },
    },
  });
}

describe("orchestration e2e (agent + simulator)", () => {
  it("publishing to live/<id>/in runs an ffmpeg that republishes to live/<id>/out, stopped after the grace", async () => {
    await using sim = await startSimulator();
    await using agent = await agentWith(sim, {
      rules: [REPUBLISH_RULE],
    });
    await sim.control.publish("live/s1/in", "testsrc");
    const [worker] = await until(
      () => workersOf(agent),
      (list) => list[0]?.state === "running",
    );
    expect(worker).toMatchObject({ id: "worker/republish/live/s1/in", path: "live/s1/in" });
    // The worker's own RTMP publish makes the out path available at the simulator.
    expect(
      await until(
        () => pathAvailable(sim, "live/s1/out"),
        (p) => p.available,
      ),
    ).toEqual({ available: true, source: "rtmpConn" });

    await sim.control.unpublish("live/s1/in");
    await until(
      () => workersOf(agent),
      (list) => list.length === 0,
    );
    expect(await pathAvailable(sim, "live/s1/out")).toMatchObject({ available: false });
    const events = (
      (await agent.get("/api/v1/events?limit=100")).body as { items: Array<{ kind: string; path?: string }> }
    ).items
      .filter((e) => e.kind.startsWith("worker."))
      .map((e) => [e.kind, e.path]);
    expect(events[events.length - 1]).toEqual(["worker.started", "live/s1/in"]); // newest first
    expect(events.some(([kind]) => kind === "worker.stopped" || kind === "worker.exited")).toBe(true);
  });

  it("keeps one worker while the publisher flaps within the grace, and restarts a crashing one with backoff", async () => {
    await using sim = await startSimulator();
    await using agent = await agentWith(sim, {
      rules: [
        STEADY_RULE,
        {
          name: "crashy",
          match: "crash/{streamId}",
          command: [process.execPath, TEST_WORKER, "--exit-after-ms", "100", "--exit-code", "4"],
          restart: FAST_RESTART,
        },
      ],
    });
    await sim.control.publish("flap/1", "synthetic");
    await sim.control.publish("crash/1", "synthetic");
    const [first] = await until(
      () => workersOf(agent),
      (list) => list.find((w) => w.name === "steady")?.state === "running",
    ).then((list) => list.filter((w) => w.name === "steady"));
    for (let i = 0; i < 5; i++) {
      await sim.control.unpublish("flap/1");
      await until(
        () => workersOf(agent),
        (list) => list.find((w) => w.name === "steady")?.state === "grace",
      );
      await sim.control.publish("flap/1", "synthetic");
      const [again] = await until(
        () => workersOf(agent),
        (list) => list.find((w) => w.name === "steady")?.state === "running",
      ).then((list) => list.filter((w) => w.name === "steady"));
      expect(again!.pid).toBe(first!.pid);
    }

    const [crashy] = await until(
      () => workersOf(agent),
      (list) => (list.find((w) => w.name === "crashy")?.restarts ?? 0) >= 3,
    ).then((list) => list.filter((w) => w.name === "crashy"));
    expect(crashy).toMatchObject({ path: "crash/1" });
    const metrics = String((await agent.get("/metrics")).body)
      .split("\n")
      .filter((line) => /^mtx_orchestration_(worker_restarts_total|workers_running)\{/.test(line));
    expect(metrics).toContainEqual(
      expect.stringMatching(/^mtx_orchestration_worker_restarts_total\{.*name="crashy".*\} [3-9]/),
    );
    expect(metrics).toContainEqual(
      expect.stringMatching(/^mtx_orchestration_workers_running\{.*name="steady".*\} 1$/),
    );
  });
});
