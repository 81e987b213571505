import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { MtxError } from "@mtx-fleet/plugin-api";
import { type TestStreamArgsOptions, testStreamArgs } from "./test-stream-args.ts";
import type { TestStreamScenario } from "./test-stream-scenarios.ts";

export const DEFAULT_PUBLISH_START_TIMEOUT_MS = 10_000;
/** How long ffmpeg may take to send its trailer after SIGINT before the group gets SIGKILL. */
export const DEFAULT_PUBLISH_STOP_GRACE_MS = 3_000;
const STDERR_TAIL_CHARS = 4_096;

/** How the publisher's ffmpeg ended. */
export interface TestStreamExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A running test stream. */
export interface TestStream extends AsyncDisposable {
  readonly pid: number;
  readonly scenario: TestStreamScenario;
  /** Resolves when ffmpeg has ended (stopped, `durationSeconds` reached, or the server dropped it). */
  readonly exited: Promise<TestStreamExit>;
  /** The last lines ffmpeg wrote (for errors). */
  stderrTail(): string;
  /** SIGINT (ffmpeg closes the stream cleanly), SIGKILL to its group after the grace; idempotent. */
  stop(): Promise<TestStreamExit>;
}

export interface PublishTestStreamOptions extends TestStreamArgsOptions {
  readonly ffmpegPath?: string;
  /** Wait at most this long for ffmpeg to be publishing (its output opened). */
  readonly startTimeoutMs?: number;
  readonly stopGraceMs?: number;
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Gone already.
  }
}

/**
 * Publishes a test stream with ffmpeg (its own process group) and resolves once ffmpeg has
 * opened its output, i.e. the server accepted the publisher; rejects with `MTX_UNAVAILABLE`
 * and ffmpeg's last words when it exits or does not get there within `startTimeoutMs`.
 */
export async function publishTestStream(
  scenario: TestStreamScenario,
  url: string,
  options: PublishTestStreamOptions = {},
): Promise<TestStream> {
  const { ffmpegPath = "ffmpeg", startTimeoutMs = DEFAULT_PUBLISH_START_TIMEOUT_MS } = options;
  const { stopGraceMs = DEFAULT_PUBLISH_STOP_GRACE_MS } = options;
  const args = testStreamArgs(scenario, url, options);
  const child = spawn(ffmpegPath, args, { detached: true, stdio: ["ignore", "ignore", "pipe"] });
  let tail = "";
  let opened: () => void = () => {};
  const publishing = new Promise<void>((resolve) => {
    opened = resolve;
  });
  createInterface({ input: child.stderr }).on("line", (line) => {
    tail = `${tail}${line}\n`.slice(-STDERR_TAIL_CHARS);
    if (line.startsWith("Output #0,")) opened();
  });
  const exited = new Promise<TestStreamExit>((resolve) => {
    child.once("exit", (code, signal) => resolve({ code, signal }));
    child.once("error", (e) => {
      tail += `${e.message}\n`;
      resolve({ code: null, signal: null });
    });
  });
  const pid = child.pid ?? 0;
  let stopping: Promise<TestStreamExit> | undefined;
  const stop = (): Promise<TestStreamExit> => {
    stopping ??= (async () => {
      if (child.exitCode !== null || child.signalCode !== null || pid === 0) return exited;
      signalGroup(pid, "SIGINT");
      const timer = setTimeout(() => signalGroup(pid, "SIGKILL"), stopGraceMs);
      const exit = await exited;
      clearTimeout(timer);
      return exit;
    })();
    return stopping;
  };
  let timer: NodeJS.Timeout | undefined;
  const started = await Promise.race([
    publishing.then(() => "publishing" as const),
    exited.then(() => "exited" as const),
    new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), startTimeoutMs);
    }),
  ]);
  clearTimeout(timer);
  if (started !== "publishing") {
    await stop();
    const why = started === "timeout" ? `did not start publishing within ${startTimeoutMs} ms` : "exited";
    throw new MtxError(
      "MTX_UNAVAILABLE",
      `test stream '${scenario}': ffmpeg ${why}: ${tail.trim().split("\n").at(-1) ?? ""}`,
      {
        details: { stderr: tail },
      },
    );
  }
  return {
    pid,
    scenario,
    exited,
    stderrTail: () => tail,
    stop,
    [Symbol.asyncDispose]: async () => void (await stop()),
  };
}
