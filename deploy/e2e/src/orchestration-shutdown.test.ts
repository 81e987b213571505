// Agent shutdown leaves no worker behind: every worker's process group (the worker and whatever
// it started) is killed and awaited before mtx-agent exits, even a worker that ignores SIGTERM.
import { readdir, readFile } from "node:fs/promises";
import { createTempDir, type StartedAgent, startAgent, startSimulator, waitFor } from "@mtx-fleet/testkit";
import { describe, expect, it } from "vitest";
import { TEST_WORKER } from "./orchestration-rules.ts";

interface Worker {
  readonly name: string;
  readonly state: string;
  readonly pid: number | null;
}

const workersOf = async (agent: StartedAgent): Promise<Worker[]> =>
  ((await agent.get("/api/v1/plugins/orchestration/x/workers")).body as { items: Worker[] }).items;

/** Processes whose process group is one of `pgids`, as /proc shows them: [pid, state]. */
async function members(pgids: readonly number[]): Promise<Array<[number, string]>> {
  const found: Array<[number, string]> = [];
  for (const name of await readdir("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const stat = await readFile(`/proc/${name}/stat`, "utf8").catch(() => "");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (pgids.includes(Number(fields[2]))) found.push([Number(name), fields[0] ?? "?"]);
  }
  return found;
}

describe("orchestration e2e: agent shutdown", () => {
  it("kills every worker's whole process group on SIGTERM before the agent exits", async () => {
    await using sim = await startSimulator();
    const agent = await startAgent({
      config: {
        mediamtx: { apiUrl: sim.apiUrl, pollIntervalMs: 250 },
        plugins: {
          orchestration: {
            config: {
              rules: [
                { name: "polite", match: "polite/{id}", command: [process.execPath, TEST_WORKER, "--child"] },
                {
                  name: "stubborn",
                  match: "stubborn/{id}",
                  command: [process.execPath, TEST_WORKER, "--child", "--ignore-term"],
                  stopTimeoutMs: 500,
                },
              ],
            },
          },
        },
      },
    });
    try {
      for (const path of ["polite/1", "polite/2", "stubborn/1"]) await sim.control.publish(path, "synthetic");
      const running = await waitFor(
        () => workersOf(agent),
        (list) => list.length === 3 && list.every((w) => w.state === "running"),
        20_000,
        50,
      );
      const pgids = running.map((w) => w.pid!);
      // Each worker and its child, once the children have been started.
      const before = await waitFor(
        () => members(pgids),
        (list) => list.filter(([, state]) => state !== "Z").length === 6,
        10_000,
        50,
      );
      expect(before).toHaveLength(6);

      agent.signal("SIGTERM");
      expect(await agent.exited).toBe(0);
      // Nothing of those groups is alive. (An exited child of a killed worker is reparented to
      // init, which reaps it; it is dead either way.)
      expect((await members(pgids)).filter(([, state]) => state !== "Z")).toEqual([]);
      const log = agent.logs();
      expect(log.some((l) => l.plugin === "orchestration" && l.level === 50)).toBe(false);
    } finally {
      await agent.stop();
    }
  });

  it("kills the workers a SIGKILLed agent left behind when it starts again, before starting new ones", async () => {
    await using sim = await startSimulator();
    await using data = await createTempDir("orch-data-");
    const config = {
      mediamtx: { apiUrl: sim.apiUrl, pollIntervalMs: 250 },
      plugins: {
        orchestration: {
          config: {
            rules: [{ name: "w", match: "cam/{id}", command: [process.execPath, TEST_WORKER, "--child"] }],
          },
        },
      },
    };
    await sim.control.publish("cam/1", "synthetic");
    const crashed = await startAgent({ config, dataDir: data.path });
    let orphan: number;
    try {
      const [worker] = await waitFor(
        () => workersOf(crashed),
        (list) => list[0]?.state === "running",
        20_000,
        50,
      );
      orphan = worker!.pid!;
      await waitFor(
        () => members([orphan]),
        (list) => list.length === 2,
        10_000,
        50,
      );
      // The plugin records the group in the agent's state file a moment after the spawn: a crash
      // before that write is the one case the sweep cannot see, so the test waits for it.
      const recorded = new RegExp(`"pgid":\\s*${orphan}\\b`);
      await waitFor(
        () => readFile(`${data.path}/state.json`, "utf8").catch(() => ""),
        (text) => recorded.test(text),
        10_000,
        50,
      );
      crashed.signal("SIGKILL");
      await crashed.exited;
    } finally {
      await crashed.stop();
    }
    // The crash left the worker and its child running: nothing stopped them.
    expect((await members([orphan])).filter(([, state]) => state !== "Z")).toHaveLength(2);

    await using restarted = await startAgent({ config, dataDir: data.path });
    const [replacement] = await waitFor(
      () => workersOf(restarted),
      (list) => list[0]?.state === "running",
      20_000,
      50,
    );
    expect(replacement!.pid).not.toBe(orphan);
    expect((await members([orphan])).filter(([, state]) => state !== "Z")).toEqual([]);
    expect(
      restarted.logs().some((l) => String(l.msg).startsWith("killing worker process groups left by")),
    ).toBe(true);
  });
});
