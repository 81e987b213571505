import { spawn } from "node:child_process";
import type { Logger } from "@mtx-fleet/plugin-api";

/** How long one `systemd-notify` run may take before it is killed (it waits for PID 1). */
export const DEFAULT_SD_NOTIFY_TIMEOUT_MS = 10_000;
const DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/** Options of `createSdNotifier`. */
export interface SdNotifierOptions {
  /** Where `NOTIFY_SOCKET`, `WATCHDOG_USEC`, `WATCHDOG_PID` and `PATH` are read from. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** This process' PID, compared with `WATCHDOG_PID`. */
  readonly pid?: number;
  /** The helper that sends the datagram. */
  readonly command?: string;
  readonly timeoutMs?: number;
  /** Failures to notify are logged here (never thrown: a daemon must not die of them). */
  readonly logger?: Logger;
}

/**
 * Talks to systemd's notify socket (sd_notify(3)). Every method resolves once systemd has read
 * the message (or sending failed and was logged) and never rejects; messages keep their order.
 * With no `NOTIFY_SOCKET` (not started by systemd, or not `Type=notify`) every call is a no-op.
 */
export interface SdNotifier {
  /** Whether `NOTIFY_SOCKET` is set. */
  readonly enabled: boolean;
  /**
   * How often to call `watchdog()`: half of `WATCHDOG_USEC`, as sd_watchdog_enabled(3)
   * recommends; `null` when systemd set no watchdog for this process.
   */
  readonly watchdogIntervalMs: number | null;
  /** `READY=1` (with `STATUS=` when given): start-up is complete. */
  ready(status?: string): Promise<void>;
  /** `STOPPING=1`: shutdown has begun. */
  stopping(): Promise<void>;
  /** `WATCHDOG=1`: the service is alive. */
  watchdog(): Promise<void>;
  /** `STATUS=<text>`: one line shown by `systemctl status`. */
  status(text: string): Promise<void>;
}

/** `WATCHDOG_USEC / 2` in ms, or `null` when unset, invalid, or meant for another process. */
export function watchdogIntervalFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  pid: number,
): number | null {
  const usec = env.WATCHDOG_USEC;
  if (usec === undefined || !/^\d+$/.test(usec) || Number(usec) === 0) return null;
  // systemd sets WATCHDOG_PID to the main PID; children that inherit the env must not ping.
  if (env.WATCHDOG_PID !== undefined && env.WATCHDOG_PID !== String(pid)) return null;
  return Math.max(1, Math.floor(Number(usec) / 2000));
}

/** One line: systemd's protocol is newline-separated `KEY=VALUE` pairs. */
function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, " ");
}

const DONE = Promise.resolve();

/**
 * Creates the notifier. Node has no AF_UNIX datagram sockets (`node:dgram` is udp4/udp6 only,
 * nodejs/node#29339) and we take no native addon, so each message is sent by `systemd-notify`,
 * which since systemd 246 waits until PID 1 has processed the message (sd_notify_barrier(3)):
 * no race with the helper's exit. The sender is the helper, not the main PID, so the unit needs
 * `NotifyAccess=all` (see deploy/systemd/mtx-agent.service).
 */
export function createSdNotifier(options: SdNotifierOptions = {}): SdNotifier {
  const {
    env = process.env,
    pid = process.pid,
    command = "systemd-notify",
    timeoutMs = DEFAULT_SD_NOTIFY_TIMEOUT_MS,
    logger,
  } = options;
  const socket = env.NOTIFY_SOCKET;
  const enabled = socket !== undefined && socket !== "";
  const childEnv = { NOTIFY_SOCKET: socket, PATH: env.PATH ?? DEFAULT_PATH };
  let queue = DONE;

  function run(fields: readonly string[]): Promise<void> {
    return new Promise((resolve) => {
      const child = spawn(command, fields, { env: childEnv, stdio: ["ignore", "ignore", "pipe"] });
      let stderr = "";
      child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
        stderr = (stderr + chunk).slice(-2000);
      });
      const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
      const fail = (reason: string) => logger?.warn({ fields, command, reason }, "could not notify systemd");
      child.once("error", (error) => {
        clearTimeout(timer);
        fail(error.message);
        resolve();
      });
      child.once("close", (code, signal) => {
        clearTimeout(timer);
        if (code !== 0)
          fail(signal === "SIGKILL" ? `no answer within ${timeoutMs} ms` : stderr.trim() || `exit ${code}`);
        resolve();
      });
    });
  }

  function send(...fields: string[]): Promise<void> {
    if (!enabled) return DONE;
    queue = queue.then(() => run(fields));
    return queue;
  }

  return {
    enabled,
    watchdogIntervalMs: enabled ? watchdogIntervalFromEnv(env, pid) : null,
    ready: (status) =>
      status === undefined ? send("READY=1") : send("READY=1", `STATUS=${oneLine(status)}`),
    stopping: () => send("STOPPING=1"),
    watchdog: () => send("WATCHDOG=1"),
    status: (text) => send(`STATUS=${oneLine(text)}`),
  };
}
