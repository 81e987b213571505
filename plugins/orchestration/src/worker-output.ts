import type { Readable } from "node:stream";
import type { Logger } from "@mtx-fleet/plugin-api";

export const DEFAULT_OUTPUT_LINES_PER_WINDOW = 40;
export const DEFAULT_OUTPUT_WINDOW_MS = 10_000;
export const DEFAULT_OUTPUT_MAX_LINE_CHARS = 2_000;

export interface WorkerOutputOptions {
  /** Already carries `path`, `streamId`, `worker`. */
  readonly logger: Logger;
  /** Applied to every line before it is logged (secrets in URLs). */
  readonly redact: (text: string) => string;
  readonly now: () => number;
  readonly linesPerWindow?: number;
  readonly windowMs?: number;
  readonly maxLineChars?: number;
}

/**
 * Logs a worker's stdout and stderr line by line. ffmpeg ends progress lines with `\r`, so both
 * `\n` and `\r` end a line; an over-long line is cut. At most `linesPerWindow` lines per window
 * (both streams together) reach the log: a worker in a crash loop or a chatty encoder must not
 * drown the agent's log or its disk; what was dropped is counted in one warning.
 */
export function attachWorkerOutput(
  streams: { readonly stdout: Readable; readonly stderr: Readable },
  options: WorkerOutputOptions,
): void {
  const {
    logger,
    redact,
    now,
    linesPerWindow = DEFAULT_OUTPUT_LINES_PER_WINDOW,
    windowMs = DEFAULT_OUTPUT_WINDOW_MS,
    maxLineChars = DEFAULT_OUTPUT_MAX_LINE_CHARS,
  } = options;
  let windowStart = now();
  let logged = 0;
  let dropped = 0;

  const flushDropped = (): void => {
    if (dropped === 0) return;
    logger.warn({ droppedLines: dropped, windowMs }, "worker output rate-limited; lines dropped");
    dropped = 0;
  };
  const emit = (stream: "stdout" | "stderr", line: string): void => {
    const t = now();
    if (t - windowStart >= windowMs) {
      flushDropped();
      windowStart = t;
      logged = 0;
    }
    if (logged >= linesPerWindow) {
      dropped++;
      return;
    }
    logged++;
    logger.info({ stream }, redact(line.length > maxLineChars ? `${line.slice(0, maxLineChars)}…` : line));
  };

  let open = 2;
  for (const [name, readable] of [
    ["stdout", streams.stdout],
    ["stderr", streams.stderr],
  ] as const) {
    let pending = "";
    readable.setEncoding("utf8");
    readable.on("data", (chunk: string) => {
      const parts = (pending + chunk).split(/\r\n|\n|\r/);
      pending = parts.pop() ?? "";
      // A line without an end yet is held, but not without bound.
      if (pending.length > maxLineChars) {
        parts.push(pending);
        pending = "";
      }
      for (const line of parts) if (line.trim() !== "") emit(name, line);
    });
    readable.on("error", () => {});
    readable.on("close", () => {
      if (pending.trim() !== "") emit(name, pending);
      pending = "";
      if (--open === 0) flushDropped();
    });
  }
}
