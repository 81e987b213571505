import { setTimeout as sleep } from "node:timers/promises";
import { spawnChild, startAgent, startSimulator } from "@mtx-fleet/testkit";
import { type ProcessFootprint, sampleProcess } from "./process-sampler.ts";

export interface FootprintRow {
  readonly name: string;
  readonly footprint: ProcessFootprint;
}

export interface AgentFootprintOptions {
  readonly windowMs?: number;
  readonly warmupMs?: number;
  readonly paths?: number;
  /** The built agent bundle (what a package installs); measured besides the TypeScript entry. */
  readonly bundle: string;
  /** Environment of the systemd unit, applied to the bundle runs. */
  readonly unitEnv: Readonly<Record<string, string>>;
}

/**
 * Issue #3's figures: the agent's RSS and CPU at idle and with a simulator serving `paths`
 * paths polled every 2 s, next to a bare Node process (an empty interval) measured the same way
 * in the same run.
 */
export async function agentFootprint(options: AgentFootprintOptions): Promise<FootprintRow[]> {
  const { windowMs = 15_000, warmupMs = 5_000, paths = 500, bundle, unitEnv } = options;
  const rows: FootprintRow[] = [];

  const bare = spawnChild(process.execPath, { args: ["-e", "setInterval(() => {}, 1000)"] });
  await sleep(warmupMs);
  rows.push({ name: "bare node (empty interval)", footprint: await sampleProcess(bare.pid, windowMs) });
  await bare.stop();

  for (const [label, entry] of [
    ["bundle, unit env", bundle],
    ["from source", undefined],
  ] as const) {
    const env = entry === undefined ? process.env : { ...process.env, ...unitEnv };
    {
      await using sim = await startSimulator({ validateResponses: false });
      await using agent = await startAgent({
        ...(entry === undefined ? {} : { entry }),
        env,
        config: { mediamtx: { apiUrl: sim.apiUrl, pollIntervalMs: 2_000 }, log: { level: "info" } },
      });
      await sleep(warmupMs);
      rows.push({
        name: `mtx-agent (${label}) idle, no streams`,
        footprint: await sampleProcess(agent.pid, windowMs),
      });
    }
    {
      await using sim = await startSimulator({ validateResponses: false, scale: paths });
      await using agent = await startAgent({
        ...(entry === undefined ? {} : { entry }),
        env,
        config: { mediamtx: { apiUrl: sim.apiUrl, pollIntervalMs: 2_000 }, log: { level: "info" } },
      });
      await sleep(warmupMs);
      const status = (await agent.get("/api/v1/status")).body as { mediamtx: { paths: number | null } };
      if ((status.mediamtx.paths ?? 0) < paths) {
        throw new Error(
          `the agent sees ${status.mediamtx.paths} paths, expected ${paths}: the benchmark would lie`,
        );
      }
      const [agentFp, simFp] = await Promise.all([
        sampleProcess(agent.pid, windowMs),
        sampleProcess(sim.pid, windowMs),
      ]);
      rows.push({ name: `mtx-agent (${label}), ${paths} paths / 2 s`, footprint: agentFp });
      if (entry !== undefined) rows.push({ name: "  (the simulator serving them)", footprint: simFp });
    }
  }
  return rows;
}
