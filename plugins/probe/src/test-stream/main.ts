#!/usr/bin/env node
// mtx-test-stream <scenario> <url> [--duration s]: publishes a test stream into a MediaMTX path
// (the toolkit's "Testing" page, plugins/probe/README.md) until stopped or the duration ends.
import { parseArgs } from "node:util";
import { publishTestStream, type TestStream } from "./publish-test-stream.ts";
import { isTestStreamScenario, TEST_STREAM_SCENARIOS } from "./test-stream-scenarios.ts";

const USAGE = `usage: mtx-test-stream <scenario> <url> [--duration seconds]
  scenario: ${TEST_STREAM_SCENARIOS.join(" | ")}
  url:      rtmp://host:1935/<path> | rtsp://host:8554/<path> | srt://host:8890?streamid=publish:<path>
Prints one JSON line on stdout once publishing; SIGINT/SIGTERM stop ffmpeg and exit 0.`;

function fail(message: string, code = 2): never {
  process.stderr.write(`mtx-test-stream: ${message}\n${code === 2 ? `${USAGE}\n` : ""}`);
  process.exit(code);
}

const OPTIONS = { duration: { type: "string" }, help: { type: "boolean" } } as const;

function parseCommandLine() {
  try {
    return parseArgs({ options: OPTIONS, allowPositionals: true });
  } catch (e) {
    return fail(e instanceof Error ? e.message : String(e));
  }
}

function parse(): {
  scenario: (typeof TEST_STREAM_SCENARIOS)[number];
  url: string;
  durationSeconds?: number;
} {
  const parsed = parseCommandLine();
  if (parsed.values.help === true) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const [scenario, url, extra] = parsed.positionals;
  if (!isTestStreamScenario(scenario)) return fail(`unknown scenario '${scenario ?? ""}'`);
  if (url === undefined || extra !== undefined) return fail("give exactly one URL");
  const duration = parsed.values.duration;
  if (duration === undefined) return { scenario, url };
  const durationSeconds = Number(duration);
  if (!(durationSeconds > 0)) return fail("--duration must be a positive number of seconds");
  return { scenario, url, durationSeconds };
}

const { scenario, url, durationSeconds } = parse();
let stream: TestStream | undefined;
let stopping = false;

async function shutdown(signal: NodeJS.Signals): Promise<void> {
  if (stopping) return;
  stopping = true;
  await stream?.stop();
  process.stderr.write(`mtx-test-stream: stopped on ${signal}\n`);
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));

try {
  stream = await publishTestStream(scenario, url, durationSeconds === undefined ? {} : { durationSeconds });
} catch (e) {
  fail(e instanceof Error ? e.message : String(e), 1);
}
process.stdout.write(`${JSON.stringify({ msg: "publishing", scenario, pid: stream.pid })}\n`);
const exit = await stream.exited;
if (!stopping) {
  // The duration ended (ffmpeg exits 0) or the server dropped the publisher.
  if (exit.code !== 0)
    process.stderr.write(
      `${stream.stderrTail()}mtx-test-stream: ffmpeg exited with ${exit.code ?? exit.signal}\n`,
    );
  process.exit(exit.code === 0 ? 0 : 1);
}
