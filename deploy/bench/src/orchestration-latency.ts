// How fast a worker runs after MediaMTX's ready hook (issue #6; goal: <= 500 ms): the simulator
// runs mtx-hook for every hook (deploy/mediamtx/mtx-hooks.yml), the agent's hooks plugin stores
// and emits it, the orchestration plugin spawns the worker. Measured per segment, so the
// orchestration's own share stands next to the hook delivery it depends on (the baseline).
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { installHookShim } from "@mtx-fleet/plugin-hooks/testing";
import {
  createTempDir,
  freePort,
  type StartedAgent,
  startAgent,
  startSimulator,
  waitFor,
} from "@mtx-fleet/testkit";
import { percentile } from "./api-latency.ts";

const SNIPPET = fileURLToPath(new URL("../../mediamtx/mtx-hooks.yml", import.meta.url));
const TEST_WORKER = fileURLToPath(
  new URL("../../../plugins/orchestration/src/testing/test-worker.ts", import.meta.url),
);

/** p50/p95/max of one segment, in ms. */
export interface LatencyStats {
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly maxMs: number;
}

export interface OrchestrationLatency {
  readonly runs: number;
  /** mtx-hook ran (its occurredAt) → the hooks plugin stored it (baseline: hook delivery). */
  readonly hookToStored: LatencyStats;
  /** Stored and emitted → the orchestration plugin's worker process spawned. */
  readonly storedToSpawned: LatencyStats;
  /** The goal's figure: the ready hook ran → the worker's process is running. */
  readonly hookToSpawned: LatencyStats;
  /** The simulator's publish answered → worker running (includes MediaMTX starting mtx-hook). */
  readonly publishToSpawned: LatencyStats;
}

interface AgentEvent {
  readonly id: string;
  readonly ts: number;
  readonly kind: string;
  readonly path?: string;
  readonly occurredAt?: number;
  readonly payload: Record<string, unknown>;
}

function stats(values: readonly number[]): LatencyStats {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    p50Ms: percentile(sorted, 0.5),
    p95Ms: percentile(sorted, 0.95),
    maxMs: sorted.at(-1) ?? Number.NaN,
  };
}

const eventsOf = async (agent: StartedAgent): Promise<AgentEvent[]> =>
  ((await agent.get("/api/v1/events?limit=1000")).body as { items: AgentEvent[] }).items;

/** Publishes `runs` paths one after another and times each worker's start. */
export async function orchestrationLatency(options: { runs?: number } = {}): Promise<OrchestrationLatency> {
  const { runs = 20 } = options;
  await using dir = await createTempDir("bench-orch-");
  const dataDir = join(dir.path, "agent-data");
  const hooksDir = join(dataDir, "plugins", "hooks");
  const port = await freePort();
  const env = await installHookShim({ binDir: dir.path, hooksDir, receiverUrl: `http://127.0.0.1:${port}` });
  await using sim = await startSimulator({
    configText: [
      "api: yes\napiAddress: 127.0.0.1:0",
      "metrics: no\nplayback: no\nhls: no\nrtmp: no",
      "paths:\n  all_others:",
      await readFile(SNIPPET, "utf8"),
    ].join("\n"),
    validateResponses: false,
    env,
  });
  await using agent = await startAgent({
    dataDir,
    config: {
      log: { level: "info" },
      mediamtx: { apiUrl: sim.apiUrl, pollIntervalMs: 5_000 },
      plugins: {
        hooks: { config: { port } },
        orchestration: {
          config: {
            // Hooks only: a snapshot must not start a worker before its hook arrives.
            reconcileFromSnapshot: false,
            rules: [
              { name: "bench", match: "bench/{id}", command: [process.execPath, TEST_WORKER], graceMs: 0 },
            ],
          },
        },
      },
    },
  });
  await waitFor(
    async () =>
      (await agent.get("/api/v1/plugins/hooks/x/status")).body as { receiver?: { url: string | null } },
    (status) => typeof status.receiver?.url === "string",
  );
  const samples = {
    hookToStored: [] as number[],
    storedToSpawned: [] as number[],
    hookToSpawned: [] as number[],
  };
  const publishToSpawned: number[] = [];
  for (let i = 0; i < runs; i++) {
    const path = `bench/${i}`;
    const published = Date.now();
    await sim.control.publish(path, "synthetic");
    const events = await waitFor(
      () => eventsOf(agent),
      (list) => list.some((e) => e.kind === "worker.started" && e.path === path),
      15_000,
      20,
    );
    const started = events.find((e) => e.kind === "worker.started" && e.path === path)!;
    const hook = events.find((e) => e.kind === "hook.received" && e.id === started.payload.hookId);
    const latencyMs = started.payload.startLatencyMs as number;
    if (hook === undefined || hook.occurredAt === undefined) throw new Error(`no stored hook for ${path}`);
    // The spawn moment is occurredAt + startLatencyMs (both on this machine's clock).
    const spawnedAt = hook.occurredAt + latencyMs;
    samples.hookToSpawned.push(latencyMs);
    samples.hookToStored.push(hook.ts - hook.occurredAt);
    samples.storedToSpawned.push(spawnedAt - hook.ts);
    publishToSpawned.push(spawnedAt - published);
    await sim.control.unpublish(path);
    await waitFor(
      async () =>
        ((await agent.get("/api/v1/plugins/orchestration/x/workers")).body as { items: unknown[] }).items
          .length,
      (n) => n === 0,
      15_000,
      20,
    );
  }
  return {
    runs,
    hookToStored: stats(samples.hookToStored),
    storedToSpawned: stats(samples.storedToSpawned),
    hookToSpawned: stats(samples.hookToSpawned),
    publishToSpawned: stats(publishToSpawned),
  };
}
