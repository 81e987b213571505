import { type ChildProcess, spawn } from "node:child_process";
import type { Readable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { MtxError } from "@mtx-fleet/plugin-api";
import { groupMembers } from "./group-members.ts";

/** How the leader of a group ended: an exit code, or the signal that killed it. */
export interface ExitStatus {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface TerminateOptions {
  /** Sent first to the whole group (ffmpeg finishes its output on SIGTERM and SIGINT). */
  readonly signal?: NodeJS.Signals;
  /** After this, SIGKILL goes to whatever is left of the group. */
  readonly timeoutMs: number;
}

/** What `terminate` did: `forced` when SIGKILL was needed. */
export interface TerminateResult {
  readonly exit: ExitStatus;
  readonly forced: boolean;
  /** False when members survived even SIGKILL (only stuck in uninterruptible I/O). */
  readonly empty: boolean;
}

/** A command running as the leader of its own process group (pgid = pid). */
export interface ProcessGroup {
  readonly pid: number;
  readonly stdout: Readable;
  readonly stderr: Readable;
  /** Resolves once the leader has exited and Node has reaped it (never rejects). */
  readonly exited: Promise<ExitStatus>;
  /** The leader's exit, once it happened; null while it runs. */
  exitStatus(): ExitStatus | null;
  /** Sends `signal` to every process of the group; false when the group is already empty. */
  signal(signal: NodeJS.Signals): boolean;
  /**
   * Stops the whole group: `signal` to all, SIGKILL after `timeoutMs`, and resolves when the
   * leader is reaped and no live member is left. Also cleans up after a leader that exited by
   * itself (its children stay in the group and would otherwise be orphans).
   */
  terminate(options: TerminateOptions): Promise<TerminateResult>;
}

export interface SpawnGroupOptions {
  readonly env: Readonly<Record<string, string>>;
  readonly cwd?: string;
}

/** How long to wait for a group to empty after SIGKILL (the kernel needs no more). */
const KILL_WAIT_MS = 2_000;
const POLL_MS = 20;

/**
 * True when the group has no live member. `kill(-pgid, 0)` is the cheap check; it still
 * succeeds while exited members wait to be reaped (zombies, dead and holding nothing; orphans are
 * reaped by init or the service manager, our own leader by Node), so those are read from /proc.
 */
async function groupQuiet(pgid: number): Promise<boolean> {
  try {
    process.kill(-pgid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
  const members = await groupMembers([pgid]);
  return members.every((m) => m.state === "Z");
}

function sendToGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ESRCH") return false;
    throw MtxError.from(error, "MTX_WORKER_FAILED");
  }
}

function waitForSpawn(child: ChildProcess, argv0: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      child.off("spawn", onSpawn);
      reject(
        new MtxError("MTX_WORKER_FAILED", `cannot start '${argv0}': ${error.message}`, {
          details: { command: argv0, errno: error.code ?? null },
          cause: error,
        }),
      );
    };
    const onSpawn = (): void => {
      child.off("error", onError);
      resolve(child.pid!);
    };
    child.once("error", onError);
    child.once("spawn", onSpawn);
  });
}

/**
 * Starts `argv` in its own process group (`detached`: setsid), with stdin closed and
 * stdout/stderr piped. Rejects with `MTX_WORKER_FAILED` when it cannot be started at all
 * (missing executable, not permitted). No shell is involved: each argv element reaches the
 * program as it is.
 */
export async function spawnProcessGroup(
  argv: readonly string[],
  options: SpawnGroupOptions,
): Promise<ProcessGroup> {
  const [command, ...args] = argv;
  if (command === undefined) throw new MtxError("MTX_INVALID_INPUT", "empty command");
  const child = spawn(command, args, {
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: options.env,
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
  });
  let status: ExitStatus | null = null;
  const exited = new Promise<ExitStatus>((resolve) => {
    child.once("exit", (code, signal) => {
      status = { code, signal };
      resolve(status);
    });
  });
  const pid = await waitForSpawn(child, command);
  // Later errors (a failed kill) must not become uncaught exceptions of the agent.
  child.on("error", () => {});
  const waitQuiet = async (deadline: number): Promise<boolean> => {
    for (;;) {
      if (status !== null && (await groupQuiet(pid))) return true;
      if (Date.now() >= deadline) return false;
      await sleep(POLL_MS);
    }
  };
  return {
    pid,
    stdout: child.stdout!,
    stderr: child.stderr!,
    exited,
    exitStatus: () => status,
    signal: (signal) => sendToGroup(pid, signal),
    async terminate({ signal = "SIGTERM", timeoutMs }) {
      sendToGroup(pid, signal);
      if (await waitQuiet(Date.now() + timeoutMs)) return { exit: await exited, forced: false, empty: true };
      sendToGroup(pid, "SIGKILL");
      const empty = await waitQuiet(Date.now() + KILL_WAIT_MS);
      // The leader is killed by now unless it is stuck in the kernel; do not wait forever.
      return { exit: status ?? { code: null, signal: "SIGKILL" }, forced: true, empty };
    },
  };
}
