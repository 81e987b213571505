import { spawn } from "node:child_process";
import { constants } from "node:os";
import type { Readable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { processGroupMembers } from "./process-group-members.ts";

/** How long the wrapper may take to reap its killed tool before the whole group gets SIGKILL. */
export const DEFAULT_KILL_GRACE_MS = 1_000;
const KILL_POLL_MS = 25;
const STDERR_TAIL_CHARS = 8_192;

/**
 * The tool runs under `/bin/sh`, which waits for it and prints `times` (user and system CPU of
 * itself and of its reaped children, from the kernel's rusage) on fd 3. Node cannot read the
 * rusage of one child (libuv reaps with waitpid, `process.resourceUsage()` is the caller's own),
 * and sampling /proc/<pid>/stat misses whatever runs between the last sample and the exit; this
 * is exact for the whole lifetime, library loading and stream probing included. fd 3 is closed
 * for the tool itself.
 */
const WRAPPER_SCRIPT = '"$@" 3>&-; status=$?; times >&3; exit $status';

/** How a process-group run ended. `overflow`: stdout passed `maxStdoutBytes`, the tree was killed. */
export type GroupRunOutcome = "exited" | "timeout" | "aborted" | "overflow";

export interface GroupRun {
  readonly outcome: GroupRunOutcome;
  /** The tool's exit status (128 + n when a signal killed it); null when it could not start. */
  readonly exitCode: number | null;
  readonly elapsedMs: number;
  /** User + system CPU of the tree, ms; null when it could not be read. */
  readonly cpuMs: number | null;
  readonly stdout: Buffer;
  /** The last lines of stderr (for error messages). */
  readonly stderrTail: string;
  /** The process group (= pid of the wrapper), undefined when nothing started. */
  readonly pgid: number | undefined;
}

export interface RunProcessGroupOptions {
  /** Hard limit: the tree is killed (SIGKILL) when it passes. */
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /** Collect stdout up to this many bytes (more kills the tree); 0 = stdout ignored. */
  readonly maxStdoutBytes?: number;
  /** Every stderr line (split on CR and LF), with ms since spawn. */
  readonly onStderrLine?: (line: string, atMs: number) => void;
  readonly env?: NodeJS.ProcessEnv;
  readonly killGraceMs?: number;
  /** Called with the process group right after the spawn. */
  readonly onSpawn?: (pgid: number) => void;
}

/** Sums the four `NmS.SSSs` figures `times` prints (shell and children, user and system). */
function parseTimesMs(text: string): number | null {
  const values = [...text.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
  return values.length === 4 ? Math.round(values.reduce((a, b) => a + b, 0) * 1000) : null;
}

/** Splits a byte stream into lines on CR or LF (ffmpeg ends progress lines with CR). */
function onLines(stream: Readable, onLine: (line: string) => void): void {
  let rest = "";
  stream.setEncoding("utf8");
  stream.on("data", (chunk: string) => {
    const parts = (rest + chunk).split(/\r\n|\r|\n/);
    rest = parts.pop() ?? "";
    for (const line of parts) if (line !== "") onLine(line);
  });
  stream.on("end", () => {
    if (rest !== "") onLine(rest);
  });
}

/**
 * SIGKILLs the group's processes leaves first, round after round, so every killed process is
 * reaped by its own parent and finally the wrapper by Node: no zombie is handed to an init that
 * may not reap (in containers PID 1 often does not). A process with unreaped children is left to
 * reap them; after `graceMs` whatever is left gets SIGKILL at once. Returns the CPU sampled from
 * /proc right before the kills (used when the wrapper could not report `times`).
 */
async function killGroup(pgid: number, exited: Promise<unknown>, graceMs: number): Promise<number> {
  let leaderGone = false;
  void exited.then(() => {
    leaderGone = true;
  });
  const sampled = new Map<number, number>();
  const deadline = performance.now() + graceMs;
  while (!leaderGone && performance.now() < deadline) {
    const members = await processGroupMembers(pgid);
    const parents = new Set(members.filter((m) => m.pid !== pgid).map((m) => m.ppid));
    for (const m of members) {
      if (m.pid === pgid || m.state === "Z" || parents.has(m.pid)) continue;
      sampled.set(m.pid, m.cpuMs);
      try {
        process.kill(m.pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
    await Promise.race([exited, sleep(KILL_POLL_MS)]);
  }
  if (!leaderGone) signalGroup(pgid, "SIGKILL");
  await exited;
  if ((await processGroupMembers(pgid)).some((m) => m.state !== "Z")) signalGroup(pgid, "SIGKILL");
  return [...sampled.values()].reduce((a, b) => a + b, 0);
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // The group is empty.
  }
}

/**
 * Runs `file args` (no shell parsing of `args`) as its own process group with a hard timeout,
 * abort and a stdout cap; on any of them the whole tree is killed with SIGKILL and reaped
 * before this resolves. Never rejects.
 */
export async function runProcessGroup(
  file: string,
  args: readonly string[],
  options: RunProcessGroupOptions,
): Promise<GroupRun> {
  const {
    timeoutMs,
    signal,
    maxStdoutBytes = 0,
    onStderrLine,
    killGraceMs = DEFAULT_KILL_GRACE_MS,
  } = options;
  const started = performance.now();
  const since = () => performance.now() - started;
  if (signal?.aborted === true) {
    return {
      outcome: "aborted",
      exitCode: null,
      elapsedMs: 0,
      cpuMs: null,
      stdout: Buffer.alloc(0),
      stderrTail: "",
      pgid: undefined,
    };
  }
  const child = spawn("/bin/sh", ["-c", WRAPPER_SCRIPT, "sh", file, ...args], {
    detached: true,
    env: options.env ?? process.env,
    stdio: ["ignore", maxStdoutBytes > 0 ? "pipe" : "ignore", "pipe", "pipe"],
  });
  const pgid = child.pid;
  if (pgid !== undefined) options.onSpawn?.(pgid);
  let stderrTail = "";
  let timesText = "";
  const stdoutChunks: Buffer[] = [];
  let stdoutBytes = 0;
  let outcome: GroupRunOutcome = "exited";
  let killing: Promise<number> | undefined;
  let spawnError: Error | undefined;

  const exited = new Promise<number | null>((resolve) => {
    child.once("exit", (code, sig) => resolve(code ?? (sig === null ? null : 128 + constants.signals[sig])));
    child.once("error", (e) => {
      spawnError = e;
      if (child.pid === undefined) resolve(null);
    });
  });
  const closed = new Promise<void>((resolve) => {
    child.once("close", () => resolve());
    child.once("error", () => {
      if (child.pid === undefined) resolve();
    });
  });
  const kill = (why: GroupRunOutcome): void => {
    if (killing !== undefined || pgid === undefined) return;
    outcome = why;
    killing = killGroup(pgid, exited, killGraceMs);
  };

  if (child.stderr !== null) {
    onLines(child.stderr, (line) => {
      stderrTail = `${stderrTail}${line}\n`.slice(-STDERR_TAIL_CHARS);
      onStderrLine?.(line, since());
    });
  }
  (child.stdio[3] as Readable | null)?.on("data", (chunk: Buffer) => {
    timesText += chunk.toString("utf8");
  });
  child.stdout?.on("data", (chunk: Buffer) => {
    stdoutBytes += chunk.length;
    if (stdoutBytes > maxStdoutBytes) return kill("overflow");
    stdoutChunks.push(chunk);
  });
  const timer = setTimeout(() => kill("timeout"), timeoutMs);
  const onAbort = () => kill("aborted");
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    const exitCode = await exited;
    await closed;
    const sampledCpuMs = killing === undefined ? null : await killing;
    const cpuMs = parseTimesMs(timesText) ?? sampledCpuMs;
    const tail = spawnError === undefined ? stderrTail : `${stderrTail}${spawnError.message}\n`;
    return {
      outcome,
      exitCode,
      elapsedMs: since(),
      cpuMs,
      stdout: Buffer.concat(stdoutChunks),
      stderrTail: tail,
      pgid,
    };
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
  }
}
