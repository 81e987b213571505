import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ffprobeJson } from "../media/run-tool.ts";
import { decodeRecordPath } from "./decode-record-path.ts";
import type { RecordFormat } from "./record-path.ts";
import { startRecorder } from "./start-recorder.ts";

const PATTERN = "./recordings/%path/%Y-%m-%d_%H-%M-%S-%f";
let cwd: string;

beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), "mtx-recorder-"));
});
afterEach(async () => {
  await rm(cwd, { recursive: true, force: true });
});

async function record(format: RecordFormat, ms: number) {
  const events: string[] = [];
  const completed: Array<{ file: string; duration: number }> = [];
  const recorder = startRecorder({
    pathName: "cams/c1",
    recordPath: PATTERN,
    format,
    segmentDurationMs: 1_000,
    partDurationMs: 300,
    cwd,
    scenario: "testsrc",
    tz: "Europe/Berlin",
    onSegmentCreate: (file) => events.push(`create ${file}`),
    onSegmentComplete: (file, duration) => {
      events.push(`complete ${file}`);
      completed.push({ file, duration });
    },
  });
  await new Promise((r) => setTimeout(r, ms));
  await recorder.stop();
  await recorder.stop();
  return { events, completed };
}

describe("startRecorder", () => {
  it("writes consecutive fmp4 segments named by their first sample, with create then complete", async () => {
    const { events, completed } = await record("fmp4", 2_800);
    expect(completed.length).toBeGreaterThanOrEqual(2);
    const files = completed.map((c) => c.file);
    expect(events).toEqual(files.flatMap((f) => [`create ${f}`, `complete ${f}`]));
    expect(files.every((f) => f.startsWith("./recordings/cams/c1/") && f.endsWith(".mp4"))).toBe(true);
    // Full segments last 1 s; each next one starts where the previous ended.
    expect(completed[0]?.duration).toBeCloseTo(1, 1);
    const starts = files.map(
      (f) => decodeRecordPath(`${PATTERN}.mp4`, f, { tz: "Europe/Berlin" })?.startMicros ?? 0,
    );
    expect(((starts[1] ?? 0) - (starts[0] ?? 0)) / 1e6).toBeCloseTo(completed[0]?.duration ?? 0, 5);
    const onDisk = (await readdir(join(cwd, "recordings", "cams", "c1"))).sort();
    expect(onDisk).toEqual(files.map((f) => f.split("/").at(-1)).sort());
    const probe = (await ffprobeJson(["-show_streams", join(cwd, files[0] ?? "")])) as {
      streams: Array<{ codec_name: string }>;
    };
    expect(probe.streams.map((s) => s.codec_name)).toEqual(["h264", "aac"]);
  });

  it("writes mpegts segments with the .ts extension and their duration", async () => {
    const { completed } = await record("mpegts", 1_600);
    expect(completed.length).toBeGreaterThanOrEqual(1);
    expect(completed[0]?.file).toMatch(
      /^\.\/recordings\/cams\/c1\/\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}-\d{6}\.ts$/,
    );
    expect(completed[0]?.duration).toBeCloseTo(1, 0);
  });

  it("records nothing for scenarios without media", async () => {
    const recorder = startRecorder({
      pathName: "p",
      recordPath: PATTERN,
      format: "fmp4",
      segmentDurationMs: 1_000,
      partDurationMs: 100,
      cwd,
      scenario: "synthetic",
      onSegmentCreate: () => {},
      onSegmentComplete: () => {},
    });
    await recorder.stop();
    expect(await readdir(cwd)).toEqual([]);
  });
});
