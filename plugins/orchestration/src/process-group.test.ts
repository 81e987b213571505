import { MtxError } from "@mtx-fleet/plugin-api";
import { describe, expect, it } from "vitest";
import { groupMembers, readProc } from "./group-members.ts";
import { type ProcessGroup, spawnProcessGroup } from "./process-group.ts";
import { readStartedLine } from "./testing/read-started-line.ts";
import { TEST_WORKER } from "./testing/test-worker-path.ts";

const ENV = { PATH: process.env.PATH ?? "" };

/** Members of the group that are still alive (zombies are dead; reaping them is their parent's job). */
async function liveMembers(pgid: number): Promise<number[]> {
  return (await groupMembers([pgid])).filter((m) => m.state !== "Z").map((m) => m.pid);
}

/** True when `pid` is gone or is not a zombie of ours (Node reaps its own children). */
async function reapedByUs(pid: number): Promise<boolean> {
  const entry = await readProc(pid);
  return entry === null || entry.ppid !== process.pid;
}

async function spawnWorker(...args: string[]): Promise<{ group: ProcessGroup; child: number | null }> {
  const group = await spawnProcessGroup([process.execPath, TEST_WORKER, ...args], { env: ENV });
  const line = await readStartedLine(group.stdout);
  expect([line.pid, line.pgid]).toEqual([group.pid, group.pid]);
  return { group, child: line.child };
}

describe("spawnProcessGroup", () => {
  it("runs the command as the leader of its own group and kills the whole group on terminate", async () => {
    const { group, child } = await spawnWorker("--child");
    expect(child).not.toBeNull();
    expect((await readProc(child!))?.pgid).toBe(group.pid);
    expect((await liveMembers(group.pid)).sort()).toEqual([group.pid, child!].sort());

    const result = await group.terminate({ timeoutMs: 3_000 });
    expect(result).toEqual({ exit: { code: null, signal: "SIGTERM" }, forced: false, empty: true });
    expect(await liveMembers(group.pid)).toEqual([]);
    expect(await reapedByUs(group.pid)).toBe(true);
  });

  it("sends SIGKILL to a group that ignores the stop signal once the timeout has passed", async () => {
    const { group } = await spawnWorker("--ignore-term", "--child");
    const started = Date.now();
    const result = await group.terminate({ timeoutMs: 300 });
    expect(result).toEqual({ exit: { code: null, signal: "SIGKILL" }, forced: true, empty: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(await liveMembers(group.pid)).toEqual([]);
  });

  it("kills what a leader that exited by itself left behind in its group", async () => {
    const { group, child } = await spawnWorker("--child", "--exit-after-ms", "100", "--exit-code", "3");
    expect(await group.exited).toEqual({ code: 3, signal: null });
    expect(await liveMembers(group.pid)).toEqual([child!]);
    const result = await group.terminate({ timeoutMs: 3_000 });
    expect(result).toEqual({ exit: { code: 3, signal: null }, forced: false, empty: true });
    expect(await liveMembers(group.pid)).toEqual([]);
  });

  it("rejects with MTX_WORKER_FAILED when the command cannot be started", async () => {
    const spawning = spawnProcessGroup(["/nonexistent/worker", "-x"], { env: ENV });
    await expect(spawning).rejects.toThrow(MtxError);
    await expect(spawning).rejects.toMatchObject({
      code: "MTX_WORKER_FAILED",
      details: { command: "/nonexistent/worker", errno: "ENOENT" },
    });
  });

  it("passes each argument through untouched, with no shell in between", async () => {
    const hostile = ["$(touch /tmp/pwned)", "; echo hi", "a b", "`id`", "*"];
    const group = await spawnProcessGroup([process.execPath, TEST_WORKER, ...hostile], { env: ENV });
    expect((await readStartedLine(group.stdout)).argv).toEqual(hostile);
    await group.terminate({ timeoutMs: 3_000 });
  });
});
