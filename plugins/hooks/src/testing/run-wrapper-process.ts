import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The wrapper's TypeScript entry (what `mtx-hook` runs from source). */
export const WRAPPER_MAIN = fileURLToPath(new URL("../wrapper/main.ts", import.meta.url));

/** How one wrapper process ended. */
export interface WrapperRun {
  /** The exit code, or the signal that ended it. */
  readonly exit: number | string;
  readonly stdout: string;
  readonly stderr: string;
  /** The JSON lines the wrapper logged on stderr. */
  readonly logs: ReadonlyArray<Record<string, unknown>>;
}

/** Options of `runWrapperProcess`. */
export interface RunWrapperOptions {
  /** The hook variables and MTX_HOOK_* settings (added to a minimal PATH/HOME environment). */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Variables whose values are raw bytes (e.g. invalid UTF-8), which Node cannot put in a
   * child's environment: they are set by bash's `$'\xNN'` quoting just before it execs the wrapper.
   */
  readonly rawEnv?: Readonly<Record<string, Buffer>>;
  /** Called once the process runs (e.g. to signal it). */
  readonly onSpawn?: (pid: number) => void;
  /** The script to run (default: the TypeScript entry; or a built bundle). */
  readonly entry?: string;
}

const BASE_ENV = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/tmp" };

/** Runs `mtx-hook <args>` as a real process, like MediaMTX does (no shell, own process group). */
export function runWrapperProcess(
  args: readonly string[],
  options: RunWrapperOptions = {},
): Promise<WrapperRun> {
  const entry = options.entry ?? WRAPPER_MAIN;
  const env = { ...BASE_ENV, ...options.env };
  const raw = Object.entries(options.rawEnv ?? {});
  const [command, argv] =
    raw.length === 0
      ? [process.execPath, [entry, ...args]]
      : [
          "bash",
          [
            "-c",
            `${raw.map(([name, bytes]) => `export ${name}=$'${[...bytes].map((b) => `\\x${b.toString(16).padStart(2, "0")}`).join("")}'`).join("; ")}; exec "$@"`,
            "bash",
            process.execPath,
            entry,
            ...args,
          ],
        ];
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.once("error", reject);
    child.once("spawn", () => options.onSpawn?.(child.pid ?? 0));
    child.once("close", (code, signal) => {
      const logs = stderr
        .split("\n")
        .filter((line) => line.startsWith("{"))
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      resolve({ exit: code ?? signal ?? "unknown", stdout, stderr, logs });
    });
  });
}
