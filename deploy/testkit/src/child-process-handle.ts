import { type ChildProcess, spawn } from "node:child_process";

/** Options of `spawnChild`. */
export interface SpawnChildOptions {
  readonly args?: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** How long `stop()` waits after SIGTERM before SIGKILL. */
  readonly killAfterMs?: number;
}

export const DEFAULT_KILL_AFTER_MS = 5_000;

/**
 * A child process in its own process group, with its stderr kept (bounded) for error messages.
 * `stop()` sends SIGTERM to the whole group, then SIGKILL after `killAfterMs`; it is idempotent.
 */
export interface ChildProcessHandle {
  readonly child: ChildProcess;
  readonly pid: number;
  /** The last 64 KiB of stderr, for error messages. */
  stderrTail(): string;
  /** The last 256 KiB of stdout (e.g. a daemon's JSON log lines). */
  stdoutTail(): string;
  /** Resolves with the exit code (or signal name) once the child has exited. */
  readonly exited: Promise<number | string>;
  stop(): Promise<number | string>;
}

const STDERR_KEEP_BYTES = 64 * 1024;
const STDOUT_KEEP_BYTES = 256 * 1024;

export function spawnChild(command: string, options: SpawnChildOptions = {}): ChildProcessHandle {
  const { args = [], env = process.env, cwd, killAfterMs = DEFAULT_KILL_AFTER_MS } = options;
  const child = spawn(command, [...args], {
    env,
    cwd,
    detached: true, // own process group: stop() reaches grandchildren (ffmpeg, hooks) too
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  let stdout = "";
  child.stdout?.setEncoding("utf8");
  child.stdout?.on("data", (chunk: string) => {
    stdout = (stdout + chunk).slice(-STDOUT_KEEP_BYTES);
  });
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_KEEP_BYTES);
  });
  const exited = new Promise<number | string>((resolve) => {
    child.once("exit", (code, signal) => resolve(code ?? signal ?? "unknown"));
    child.once("error", (error) => {
      stderr += `\nspawn error: ${error.message}`;
      resolve("spawn-error");
    });
  });
  const signalGroup = (signal: NodeJS.Signals): void => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  let stopping: Promise<number | string> | undefined;
  const stop = (): Promise<number | string> => {
    stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        signalGroup("SIGTERM");
        const timer = setTimeout(() => signalGroup("SIGKILL"), killAfterMs);
        const code = await exited;
        clearTimeout(timer);
        // Leftovers in the group (e.g. a hook that ignored SIGTERM) must not outlive the test.
        signalGroup("SIGKILL");
        return code;
      }
      signalGroup("SIGKILL");
      return await exited;
    })();
    return stopping;
  };
  return {
    child,
    pid: child.pid ?? -1,
    stderrTail: () => stderr,
    stdoutTail: () => stdout,
    exited,
    stop,
  };
}

/** Resolves with the first stdout line for which `parse` returns a value, or rejects on exit/timeout. */
export async function waitForLine<T>(
  handle: ChildProcessHandle,
  parse: (line: string) => T | undefined,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const stdout = handle.child.stdout;
  if (stdout === null) throw new Error(`${what}: no stdout`);
  stdout.setEncoding("utf8");
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  let buffer = "";
  try {
    const found = new Promise<T>((resolve, reject) => {
      const onData = (chunk: string): void => {
        buffer += chunk;
        let index = buffer.indexOf("\n");
        while (index >= 0) {
          const line = buffer.slice(0, index);
          buffer = buffer.slice(index + 1);
          const value = parse(line);
          if (value !== undefined) {
            stdout.off("data", onData);
            resolve(value);
            return;
          }
          index = buffer.indexOf("\n");
        }
      };
      stdout.on("data", onData);
      void handle.exited.then((code) =>
        reject(new Error(`${what} exited (${code}) before it was ready:\n${handle.stderrTail()}`)),
      );
      controller.signal.addEventListener("abort", () =>
        reject(new Error(`${what} was not ready within ${timeoutMs} ms:\n${handle.stderrTail()}`)),
      );
    });
    return await found;
  } finally {
    clearTimeout(timer);
  }
}
