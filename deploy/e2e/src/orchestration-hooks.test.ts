// Orchestration driven by real hooks: the simulator runs deploy/mediamtx/mtx-hooks.yml (mtx-hook
// for every hook, through a shim that runs the wrapper from source), the agent's hooks plugin
// puts them on the bus, the orchestration plugin starts and stops workers from them. The whole
// chain: publish live/<id>/in → ffmpeg republishes to live/<id>/out → its ready hook starts a
// forwarder that copies it to an RTMP listener.
import { type ChildProcess, spawn } from "node:child_process";
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { installHookShim } from "@mtx-fleet/plugin-hooks/testing";
import {
  createTempDir,
  freePort,
  type StartedAgent,
  type StartedSimulator,
  startAgent,
  startSimulator,
  type TempDir,
  waitFor,
} from "@mtx-fleet/testkit";
import { describe, expect, it } from "vitest";
import { FAST_RESTART, REPUBLISH_RULE, STEADY_RULE } from "./orchestration-rules.ts";

const SNIPPET = fileURLToPath(new URL("../../mediamtx/mtx-hooks.yml", import.meta.url));

interface Worker {
  readonly id: string;
  readonly kind: string;
  readonly name: string;
  readonly path: string;
  readonly state: string;
  readonly pid: number | null;
}

interface AgentEvent {
  readonly id: string;
  readonly seq: number;
  readonly ts: number;
  readonly kind: string;
  readonly path?: string;
  readonly payload: Record<string, unknown>;
}

interface Stack extends AsyncDisposable {
  readonly sim: StartedSimulator;
  readonly agent: StartedAgent;
}

/** Simulator with the hook snippet and RTMP, and an agent with hooks and orchestration. */
async function startStack(orchestration: Record<string, unknown>): Promise<Stack> {
  const dir: TempDir = await createTempDir("orch-hooks-");
  const dataDir = join(dir.path, "agent-data");
  const hooksDir = join(dataDir, "plugins", "hooks");
  const port = await freePort();
  const env = await installHookShim({ binDir: dir.path, hooksDir, receiverUrl: `http://127.0.0.1:${port}` });
  const yml = [
    "logLevel: info",
    "api: yes\napiAddress: 127.0.0.1:0",
    "metrics: no",
    "playback: no",
    "hls: yes\nhlsAddress: 127.0.0.1:0",
    "rtmp: yes\nrtmpAddress: 127.0.0.1:0",
    "paths:\n  all_others:",
    await readFile(SNIPPET, "utf8"),
  ].join("\n");
  const sim = await startSimulator({
    configText: yml,
    env,
  });
  const agent = await startAgent({
    dataDir,
    config: {
      // A slow poll: starts here come from hooks, not from the snapshot.
      mediamtx: { apiUrl: sim.apiUrl, pollIntervalMs: 2_000 },
      plugins: {
        hooks: { config: { port, drainIntervalMs: 500 } },
        orchestration: { config: { mediamtx: { rtmpUrl: sim.rtmpUrl }, ...orchestration } },
      },
    },
  });
  await waitFor(
    async () =>
      (await agent.get("/api/v1/plugins/hooks/x/status")).body as { receiver?: { url: string | null } },
    (status) => typeof status.receiver?.url === "string",
  );
  return {
    sim,
    agent,
    [Symbol.asyncDispose]: async () => {
      await agent[Symbol.asyncDispose]();
      await sim[Symbol.asyncDispose]();
      await dir[Symbol.asyncDispose]();
    },
  };
}

const workersOf = async (agent: StartedAgent): Promise<Worker[]> =>
  ((await agent.get("/api/v1/plugins/orchestration/x/workers")).body as { items: Worker[] }).items;

/** The agent's events of a kind prefix, oldest first. */
const eventsOf = async (agent: StartedAgent, prefix: string): Promise<AgentEvent[]> =>
  ((await agent.get("/api/v1/events?limit=1000")).body as { items: AgentEvent[] }).items
    .filter((e) => e.kind.startsWith(prefix))
    .reverse();

const until = <T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 20_000) =>
  waitFor(read, ok, timeoutMs, 50);

function rtmpListener(
  port: number,
  key: string,
  file: string,
): { child: ChildProcess; exited: Promise<unknown> } {
  const child = spawn(
    "ffmpeg",
    [
      ...["-hide_banner", "-loglevel", "error", "-listen", "1", "-i", `rtmp://127.0.0.1:${port}/app/${key}`],
      ...["-c", "copy", "-f", "flv", "-y", file],
    ],
    { stdio: "ignore" },
  );
  return { child, exited: new Promise((resolve) => child.once("exit", resolve)) };
}

describe("orchestration e2e with real hooks", () => {
  it("runs a worker within the latency goal of the ready hook, republishes in → out, and forwards out to RTMP", async () => {
    await using work = await createTempDir("orch-hooks-out-");
    const port = await freePort();
    const received = join(work.path, "received.flv");
    const listener = rtmpListener(port, "key-0123456789", received);
    try {
      await using stack = await startStack({
        reconcileFromSnapshot: false,
        rules: [REPUBLISH_RULE],
        forwarders: [
          {
            name: "egress",
            match: "live/{streamId}/out",
            destinations: [`rtmp://127.0.0.1:${port}/app/key-0123456789`],
            graceMs: 500,
            restart: FAST_RESTART,
          },
        ],
      });
      const { sim, agent } = stack;
      await sim.control.publish("live/s1/in", "testsrc");
      const [started] = await until(
        () => eventsOf(agent, "worker.started"),
        (list) => list.length > 0,
      );
      expect(started).toMatchObject({ path: "live/s1/in", payload: { cause: "ready", origin: "hook" } });
      // The hook that started it is the one the hooks plugin stored (the outbox id is the hook's).
      const hook = (await eventsOf(agent, "hook.received")).find((e) => e.id === started!.payload.hookId);
      expect(hook?.path).toBe("live/s1/in");
      // From the hook's occurredAt (when mtx-hook ran) to the worker's process running. The goal
      // is 500 ms; the bound here is loose so a loaded machine cannot flake it (the figure is
      // measured in deploy/bench). It catches a start that waited for a snapshot poll (2 s).
      const latencyMs = started!.payload.startLatencyMs as number;
      expect(latencyMs).toBeGreaterThanOrEqual(0);
      expect(latencyMs).toBeLessThan(1_500);

      // The worker publishes live/s1/out; its ready hook starts the forwarder; bytes arrive.
      await until(
        () =>
          stat(received).then(
            (s) => s.size,
            () => 0,
          ),
        (size) => size > 100_000,
        30_000,
      );
      const forwarders = (await workersOf(agent)).filter((w) => w.kind === "forwarder");
      expect(forwarders.map((w) => [w.path, w.state])).toEqual([["live/s1/out", "running"]]);
      expect((await eventsOf(agent, "forwarder.started"))[0]).toMatchObject({
        path: "live/s1/out",
        payload: { origin: "hook", destination: `rtmp://127.0.0.1:${port}/app/***` },
      });

      // Unpublish: the not-ready hooks release both; nothing runs after the graces.
      await sim.control.unpublish("live/s1/in");
      await until(
        () => workersOf(agent),
        (list) => list.length === 0,
      );
      const kinds = (await eventsOf(agent, "worker.")).map((e) => e.kind);
      expect(kinds[0]).toBe("worker.started");
      expect(kinds.some((k) => k === "worker.stopped" || k === "worker.exited")).toBe(true);
    } finally {
      listener.child.kill("SIGKILL");
      await listener.exited;
    }
  });

  it("keeps one worker while the publisher flaps five times within the grace", async () => {
    await using stack = await startStack({
      reconcileFromSnapshot: false,
      rules: [STEADY_RULE],
    });
    const { sim, agent } = stack;
    await sim.control.publish("flap/1", "synthetic");
    const [first] = await until(
      () => workersOf(agent),
      (list) => list[0]?.state === "running",
    );
    for (let i = 0; i < 5; i++) {
      await sim.control.unpublish("flap/1");
      await until(
        () => workersOf(agent),
        (list) => list[0]?.state === "grace",
      );
      await sim.control.publish("flap/1", "synthetic");
      const [again] = await until(
        () => workersOf(agent),
        (list) => list[0]?.state === "running",
      );
      expect(again!.pid).toBe(first!.pid);
    }
    expect((await eventsOf(agent, "worker.")).map((e) => e.kind)).toEqual(["worker.started"]);
  });
});
