import { readFile } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import type { Logger, PluginStore } from "@mtx-fleet/plugin-api";
import { groupMembers, readProc } from "./group-members.ts";

/** A worker's process group as recorded while it runs, to find it again after a crash. */
export interface GroupRecord {
  readonly pgid: number;
  /** The leader's start time (ticks after boot): with the pid it identifies the process. */
  readonly startTicks: number;
  readonly bootId: string;
  readonly worker: string;
}

const STORE_KEY = "groups";
const POLL_MS = 20;

async function readBootId(): Promise<string> {
  return (await readFile("/proc/sys/kernel/random/boot_id", "utf8").catch(() => "")).trim();
}

/**
 * The process groups this plugin runs, kept in its store. If the agent dies without stopping
 * its plugins (SIGKILL, OOM, power cut of the agent alone), the workers live on: they are in
 * their own groups, out of reach of the service manager's kill of the agent's group unless it
 * kills the whole cgroup. On the next start `sweep()` kills what the previous run left, before
 * anything new is spawned, so a stream never gets a second worker.
 */
export class OrphanGroups {
  readonly #store: PluginStore;
  readonly #logger: Logger;
  readonly #live = new Map<number, GroupRecord>();
  /** Added, its start time still being read; a remove in the meantime cancels the add. */
  readonly #pending = new Set<number>();
  #bootId: Promise<string> | null = null;
  #writes: Promise<void> = Promise.resolve();

  constructor(store: PluginStore, logger: Logger) {
    this.#store = store;
    this.#logger = logger;
  }

  /** Kills the groups a previous run recorded that still exist; resolves when they are gone. */
  async sweep(timeoutMs: number): Promise<number[]> {
    const recorded = this.#store.get<GroupRecord[]>(STORE_KEY) ?? [];
    const bootId = await this.#boot();
    const leftovers: GroupRecord[] = [];
    for (const record of Array.isArray(recorded) ? recorded : []) {
      if (record.bootId === bootId && (await isOurs(record))) leftovers.push(record);
    }
    const pgids = leftovers.map((r) => r.pgid);
    if (pgids.length > 0) {
      this.#logger.warn(
        { groups: leftovers.map((r) => ({ pgid: r.pgid, worker: r.worker })) },
        "killing worker process groups left by a previous run that did not stop",
      );
      for (const pgid of pgids) signalGroup(pgid, "SIGKILL");
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline && (await liveCount(pgids)) > 0) await sleep(POLL_MS);
    }
    this.#persist();
    await this.#writes;
    return pgids;
  }

  /** Records a group that has just been started. */
  add(pgid: number, worker: string): void {
    this.#pending.add(pgid);
    void (async () => {
      const entry = await readProc(pgid);
      const bootId = await this.#boot();
      if (!this.#pending.delete(pgid) || entry === null) return; // removed or gone meanwhile
      this.#live.set(pgid, { pgid, startTicks: entry.startTicks, bootId, worker });
      this.#persist();
    })();
  }

  remove(pgid: number): void {
    this.#pending.delete(pgid);
    if (this.#live.delete(pgid)) this.#persist();
  }

  /** Resolves when every change so far is on disk. */
  flushed(): Promise<void> {
    return this.#writes;
  }

  #boot(): Promise<string> {
    this.#bootId ??= readBootId();
    return this.#bootId;
  }

  #persist(): void {
    // One write at a time, each with the state at its turn: the last one always wins.
    this.#writes = this.#writes
      .then(() => this.#store.set(STORE_KEY, [...this.#live.values()]))
      .catch((error: unknown) => this.#logger.warn({ err: String(error) }, "worker groups not saved"));
  }
}

/**
 * Still the group we started: its leader runs with the recorded start time, or the leader is
 * gone and members of its group remain (Linux does not reuse a pid while a group of that id has
 * members, so they are ours).
 */
async function isOurs(record: GroupRecord): Promise<boolean> {
  const leader = await readProc(record.pgid);
  if (leader !== null) return leader.startTicks === record.startTicks && leader.pgid === record.pgid;
  return (await liveCount([record.pgid])) > 0;
}

async function liveCount(pgids: readonly number[]): Promise<number> {
  return (await groupMembers(pgids)).filter((m) => m.state !== "Z").length;
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // gone already
  }
}
