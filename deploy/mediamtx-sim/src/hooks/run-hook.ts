import { type LibLogger, silentLogger } from "../media/lib-logger.ts";
import { type ProcessGroup, spawnGroup, stopGroup } from "../media/spawn-group.ts";
import { expandVariables } from "./expand-variables.ts";
import { splitCommand } from "./split-command.ts";

/** MediaMTX's pause before restarting a `*Restart: true` hook. */
export const DEFAULT_HOOK_RESTART_DELAY_MS = 5_000;

/** A hook command started by `runHook`. */
export interface RunningHook extends AsyncDisposable {
  /** pid of the current run (undefined between restarts or once stopped). */
  readonly pid: number | undefined;
  /**
   * SIGINT to the process group, then wait for it without limit, like MediaMTX. Only the
   * simulator's shutdown should pass `killAfterMs` (SIGKILL after that delay).
   */
  stop(opts?: { killAfterMs?: number }): Promise<void>;
}

export interface RunHookOptions {
  readonly command: string;
  readonly vars: Readonly<Record<string, string>>;
  readonly restart: boolean;
  readonly restartDelayMs?: number;
  /** MediaMTX's working directory. */
  readonly cwd: string;
  /** MediaMTX's own environment (default `process.env`). */
  readonly env?: NodeJS.ProcessEnv;
  /** Hook name for logs, e.g. `runOnReady`. */
  readonly label?: string;
  readonly logger?: LibLogger;
  /** Each exit with its real code (null when killed by a signal); MediaMTX itself discards it. */
  onExit?(code: number | null): void;
  /** The command could not be split or started (executable not found...). */
  onStartError?(err: Error): void;
}

/**
 * Runs a hook exactly like MediaMTX's `externalcmd`: split with go-shellquote, `$VAR` expanded
 * per argument, executed without a shell in its own process group, with the hook variables
 * added to the environment; output goes to stderr (stdout is reserved). Exit codes are not
 * acted on; with `restart` the command runs again `restartDelayMs` after every exit.
 */
export function runHook(opts: RunHookOptions): RunningHook {
  const logger = opts.logger ?? silentLogger;
  const env = opts.env ?? process.env;
  const label = opts.label ?? "hook";
  let stopped = false;
  let current: ProcessGroup | undefined;
  let wake: (() => void) | undefined;

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const startError = (err: Error) => {
    logger.error({ hook: label, command: opts.command }, `${label} command failed: ${err.message}`);
    opts.onStartError?.(err);
  };

  const runOnce = async (): Promise<void> => {
    let argv: string[];
    try {
      argv = splitCommand(opts.command).map((a) => expandVariables(a, opts.vars, env));
    } catch (e) {
      return startError(e as Error);
    }
    const [file, ...args] = argv;
    if (file === undefined || file === "") return startError(new Error("empty command"));
    const group = spawnGroup(file, args, { cwd: opts.cwd, env: { ...env, ...opts.vars }, output: "stderr" });
    current = group;
    const exit = await group.exited;
    current = undefined;
    const error = group.spawnError();
    if (error !== undefined) return startError(error);
    if (!stopped) opts.onExit?.(exit.code);
    // The exit status is lost on Linux (cmd_os.go), so every restart says code 0.
    if (opts.restart && !stopped)
      logger.info({ hook: label }, `${label} command exited: command exited with code 0`);
  };

  const loop = (async () => {
    while (!stopped) {
      await runOnce();
      if (!opts.restart || stopped) return;
      await pause(opts.restartDelayMs ?? DEFAULT_HOOK_RESTART_DELAY_MS);
    }
  })();

  const stop = async (stopOpts: { killAfterMs?: number } = {}): Promise<void> => {
    stopped = true;
    wake?.();
    const group = current;
    if (group !== undefined) await stopGroup(group, stopOpts);
    await loop;
  };
  return {
    get pid() {
      return current?.pid;
    },
    stop,
    [Symbol.asyncDispose]: () => stop(),
  };
}
