import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { createRedactor } from "./redact-url.ts";
import { createMemoryLogger } from "./testing/memory-logger.ts";
import { attachWorkerOutput } from "./worker-output.ts";

function pipes() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const closed = Promise.all([
    new Promise((resolve) => stdout.once("close", resolve)),
    new Promise((resolve) => stderr.once("close", resolve)),
  ]);
  const end = async () => {
    stdout.end();
    stderr.end();
    stdout.destroy();
    stderr.destroy();
    await closed;
  };
  return { stdout, stderr, end };
}

describe("attachWorkerOutput", () => {
  it("logs whole lines of both streams, split on \\n and \\r, redacted, with a partial line held until the end", async () => {
    const logger = createMemoryLogger();
    const { stdout, stderr, end } = pipes();
    attachWorkerOutput(
      { stdout, stderr },
      { logger, redact: createRedactor(["rtmp://u:p4ss@h/app/key-123456"]), now: () => 0 },
    );
    stdout.write("first line\nsecond ");
    stdout.write("half\n\n");
    stderr.write("frame=1\rframe=2\rOutput to 'rtmp://u:p4ss@h/app/key-123456'\n");
    stderr.write("no newline at the end");
    await end();
    expect(logger.lines.map((l) => [l.stream, l.msg])).toEqual([
      ["stdout", "first line"],
      ["stdout", "second half"],
      ["stderr", "frame=1"],
      ["stderr", "frame=2"],
      ["stderr", "Output to 'rtmp://u:***@h/app/***'"],
      ["stderr", "no newline at the end"],
    ]);
  });

  it("logs at most linesPerWindow lines per window and counts the dropped ones", async () => {
    const logger = createMemoryLogger();
    const { stdout, stderr, end } = pipes();
    let now = 0;
    attachWorkerOutput(
      { stdout, stderr },
      { logger, redact: (t) => t, now: () => now, linesPerWindow: 3, windowMs: 1_000, maxLineChars: 10 },
    );
    stdout.write(`${Array.from({ length: 10 }, (_, i) => `line ${i}`).join("\n")}\n`);
    await new Promise((resolve) => setImmediate(resolve));
    now = 1_000;
    stderr.write("0123456789abcdef\nlate\n");
    await end();
    expect(logger.lines.map((l) => [l.level, l.msg, l.droppedLines])).toEqual([
      ["info", "line 0", undefined],
      ["info", "line 1", undefined],
      ["info", "line 2", undefined],
      ["warn", "worker output rate-limited; lines dropped", 7],
      ["info", "0123456789…", undefined],
      ["info", "late", undefined],
    ]);
  });
});
