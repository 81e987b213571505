import { describe, expect, it } from "vitest";
import { processGroupMembers } from "./process-group-members.ts";
import { runProcessGroup } from "./run-process-group.ts";

describe("runProcessGroup", () => {
  it("returns the tool's exit status, stdout and the CPU it used", async () => {
    const burn = "i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done; printf done; exit 3";
    const run = await runProcessGroup("sh", ["-c", burn], { timeoutMs: 20_000, maxStdoutBytes: 100 });
    expect({ outcome: run.outcome, exitCode: run.exitCode, stdout: run.stdout.toString() }).toEqual({
      outcome: "exited",
      exitCode: 3,
      stdout: "done",
    });
    expect(run.cpuMs).toBeGreaterThan(0);
    expect(run.cpuMs).toBeLessThanOrEqual(run.elapsedMs * 2 + 20);
  });

  it("kills the whole tree at the timeout and leaves no process, not even a zombie", async () => {
    let pgid = 0;
    // The tool forks two sleepers of its own: all three must go.
    const run = await runProcessGroup("sh", ["-c", "sleep 30 & sleep 30 & wait"], {
      timeoutMs: 300,
      onSpawn: (id) => {
        pgid = id;
      },
    });
    expect(run.outcome).toBe("timeout");
    expect(pgid).toBe(run.pgid);
    expect(await processGroupMembers(pgid)).toEqual([]);
  });

  it("kills the tree when the signal aborts", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const run = await runProcessGroup("sleep", ["30"], { timeoutMs: 20_000, signal: controller.signal });
    expect({ outcome: run.outcome, exitCode: run.exitCode }).toEqual({
      outcome: "aborted",
      exitCode: 128 + 9,
    });
    expect(await processGroupMembers(run.pgid ?? 0)).toEqual([]);
  });

  it("kills the tree when stdout passes the cap", async () => {
    const run = await runProcessGroup("sh", ["-c", "yes"], { timeoutMs: 20_000, maxStdoutBytes: 1000 });
    expect(run.outcome).toBe("overflow");
    expect(run.stdout.length).toBeLessThanOrEqual(1000);
    expect(await processGroupMembers(run.pgid ?? 0)).toEqual([]);
  });

  it("reports a missing tool as exit status 127 with the shell's message", async () => {
    const run = await runProcessGroup("no-such-tool-mtx", [], { timeoutMs: 5_000 });
    expect(run.exitCode).toBe(127);
    expect(run.stderrTail).toContain("not found");
  });

  it("does not start when the signal is already aborted", async () => {
    const run = await runProcessGroup("sleep", ["30"], { timeoutMs: 5_000, signal: AbortSignal.abort() });
    expect({ outcome: run.outcome, pgid: run.pgid }).toEqual({ outcome: "aborted", pgid: undefined });
  });
});
