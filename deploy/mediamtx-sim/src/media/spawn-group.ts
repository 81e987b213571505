import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import { type LibLogger, silentLogger } from "./lib-logger.ts";

/** How a process ended: exit code, or the signal that killed it. */
export interface GroupExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A child started as the leader of its own process group. */
export interface ProcessGroup {
  readonly pid: number | undefined;
  /** Resolves once the leader has exited (never rejects). */
  readonly exited: Promise<GroupExit>;
  /** Rejected spawns (ENOENT, EACCES) resolve `exited` and set this. */
  readonly spawnError: () => Error | undefined;
  /** Sends `signal` to the whole group; false when it no longer exists. */
  signalGroup(signal: NodeJS.Signals): boolean;
  /** The child's stdin/stdout when `pipes` asked for them (media fed in or read out). */
  readonly stdin: Writable | null;
  readonly stdout: Readable | null;
}

export interface SpawnGroupOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** `logger`: each output line becomes a debug log; `stderr`: raw bytes go to our stderr. */
  readonly output?: "logger" | "stderr" | "ignore";
  readonly logger?: LibLogger;
  readonly logFields?: object;
  /** Pipe stdin and/or stdout to us (stdout is then not logged). */
  readonly pipes?: { readonly stdin?: boolean; readonly stdout?: boolean };
}

/**
 * Starts `file args` without a shell, in a new process group (so a signal reaches every
 * descendant), never touching our stdout.
 */
export function spawnGroup(
  file: string,
  args: readonly string[],
  opts: SpawnGroupOptions = {},
): ProcessGroup {
  const { output = "logger", logger = silentLogger, logFields = {}, pipes = {} } = opts;
  const quiet = output === "ignore" ? "ignore" : "pipe";
  const child: ChildProcess = spawn(file, args, {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    detached: true,
    stdio: [pipes.stdin === true ? "pipe" : "ignore", pipes.stdout === true ? "pipe" : quiet, quiet],
  });
  // A child that exits while we still write to it must not crash us with EPIPE.
  child.stdin?.on("error", () => {});
  let spawnError: Error | undefined;
  const exited = new Promise<GroupExit>((resolve) => {
    child.once("error", (e) => {
      spawnError = e;
      if (child.pid === undefined) resolve({ code: null, signal: null });
    });
    child.once("exit", (code, signal) => resolve({ code, signal }));
  });
  for (const stream of pipes.stdout === true ? [child.stderr] : [child.stdout, child.stderr]) {
    if (stream === null) continue;
    if (output === "stderr") {
      stream.on("data", (chunk: Buffer) => process.stderr.write(chunk));
    } else {
      createInterface({ input: stream }).on("line", (line) =>
        logger.debug({ ...logFields, pid: child.pid }, line),
      );
    }
  }
  return {
    pid: child.pid,
    stdin: child.stdin,
    stdout: pipes.stdout === true ? child.stdout : null,
    exited,
    spawnError: () => spawnError,
    signalGroup(signal) {
      if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return false;
      try {
        process.kill(-child.pid, signal);
        return true;
      } catch {
        return false;
      }
    },
  };
}

/**
 * SIGINT to the group, then SIGKILL after `killAfterMs` if the leader is still there.
 * Resolves when the leader has exited (and was reaped by Node).
 */
export async function stopGroup(
  group: ProcessGroup,
  opts: { killAfterMs?: number } = {},
): Promise<GroupExit> {
  group.signalGroup("SIGINT");
  const { killAfterMs } = opts;
  if (killAfterMs === undefined) return group.exited;
  let timer: NodeJS.Timeout | undefined;
  const killed = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      group.signalGroup("SIGKILL");
      resolve();
    }, killAfterMs);
  });
  await Promise.race([group.exited, killed]);
  clearTimeout(timer);
  return group.exited;
}
