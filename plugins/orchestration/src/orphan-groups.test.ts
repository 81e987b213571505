import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { openLocalStore } from "@mtx-fleet/agent";
import type { PluginStore } from "@mtx-fleet/plugin-api";
import { createTempDir, waitFor } from "@mtx-fleet/testkit";
import { describe, expect, it } from "vitest";
import { readProc } from "./group-members.ts";
import { type GroupRecord, OrphanGroups } from "./orphan-groups.ts";
import { spawnProcessGroup } from "./process-group.ts";
import { createMemoryLogger } from "./testing/memory-logger.ts";
import { liveMembers } from "./testing/plugin-test-kit.ts";
import { readStartedLine } from "./testing/read-started-line.ts";
import { TEST_WORKER } from "./testing/test-worker-path.ts";

/** A plugin's store on the agent's real local store (as the host gives it). */
async function openPluginStore(file: string) {
  const local = await openLocalStore({ file, defaults: {} });
  const view = local.namespace<Record<string, unknown>>("plugin.orchestration", {});
  const store: PluginStore = {
    get: <T>(key: string) => view.read()[key] as T | undefined,
    set: async (key, value) => {
      await view.update((draft) => ({ ...draft, [key]: value }));
    },
    delete: async (key) => {
      await view.update(({ [key]: _gone, ...rest }) => rest);
    },
    keys: () => Object.keys(view.read()),
  };
  return { store, close: () => local.close() };
}

async function startGroup() {
  const group = await spawnProcessGroup([process.execPath, TEST_WORKER, "--child"], {
    env: { PATH: process.env.PATH ?? "" },
  });
  await readStartedLine(group.stdout);
  return group;
}

describe("OrphanGroups", () => {
  it("finds the groups a previous run recorded and kills them, children included", async () => {
    await using dir = await createTempDir("orphans-");
    const file = join(dir.path, "state.json");
    const group = await startGroup();
    const first = await openPluginStore(file);
    const before = new OrphanGroups(first.store, createMemoryLogger());
    expect(await before.sweep(1_000)).toEqual([]);
    before.add(group.pid, "worker/w/cam/1");
    await waitFor(
      async () => first.store.get<GroupRecord[]>("groups") ?? [],
      (records) => records.length === 1,
    );
    await before.flushed();
    await first.close(); // the run ends without stopping its workers (a crash)

    const second = await openPluginStore(file);
    const logger = createMemoryLogger();
    expect(await new OrphanGroups(second.store, logger).sweep(3_000)).toEqual([group.pid]);
    expect(await liveMembers([group.pid])).toEqual([]);
    expect(second.store.get("groups")).toEqual([]);
    expect(logger.lines.map((l) => [l.level, l.msg])).toEqual([
      ["warn", "killing worker process groups left by a previous run that did not stop"],
    ]);
    await second.close();
  });

  it("leaves a process alone whose pid matches but whose start time does not (a reused pid)", async () => {
    await using dir = await createTempDir("orphans-");
    const group = await startGroup();
    try {
      const { store, close } = await openPluginStore(join(dir.path, "state.json"));
      const entry = await readProc(group.pid);
      const bootId = (await readFile("/proc/sys/kernel/random/boot_id", "utf8")).trim();
      await store.set("groups", [
        { pgid: group.pid, startTicks: entry!.startTicks - 1, bootId, worker: "w" },
      ]);
      expect(await new OrphanGroups(store, createMemoryLogger()).sweep(500)).toEqual([]);
      expect((await liveMembers([group.pid])).length).toBe(2);
      await close();
    } finally {
      await group.terminate({ timeoutMs: 2_000 });
    }
  });
});
