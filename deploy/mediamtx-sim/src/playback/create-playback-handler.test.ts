import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ffprobeJson } from "../media/run-tool.ts";
import { decodeRecordPath } from "../recording/decode-record-path.ts";
import type { RecordConfig } from "../recording/record-path.ts";
import { formatGoRfc3339Nano } from "../recording/rfc3339.ts";
import { startRecorder } from "../recording/start-recorder.ts";
import { createPlaybackHandler } from "./create-playback-handler.ts";

const tz = "Europe/Berlin";
const PATTERN = "./recordings/%path/%Y-%m-%d_%H-%M-%S-%f";
const configs: RecordConfig[] = [
  { name: "cams/c1", recordPath: PATTERN, format: "fmp4" },
  { name: "empty", recordPath: PATTERN, format: "fmp4" },
  { name: "ts", recordPath: PATTERN, format: "mpegts" },
];
let cwd: string;
let server: Server;
let base: string;
let host: string;
const completed: Array<{ file: string; duration: number }> = [];

const startOf = (file: string) => decodeRecordPath(`${PATTERN}.mp4`, file, { tz })?.startMicros ?? 0;

async function getJson(path: string): Promise<[number, unknown]> {
  const res = await fetch(`${base}${path}`);
  return [res.status, await res.json()];
}

beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), "mtx-playback-"));
  const recorder = startRecorder({
    pathName: "cams/c1",
    recordPath: PATTERN,
    format: "fmp4",
    segmentDurationMs: 1_000,
    partDurationMs: 300,
    cwd,
    scenario: "testsrc",
    tz,
    onSegmentCreate: () => {},
    onSegmentComplete: (file, duration) => completed.push({ file, duration }),
  });
  // Three complete 1 s segments (waited for: a loaded machine encodes slower than real time).
  const deadline = Date.now() + 30_000;
  while (completed.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  await recorder.stop();
  await mkdir(join(cwd, "recordings", "ts"), { recursive: true });
  await writeFile(join(cwd, "recordings", "ts", "2024-01-01_00-00-00-000000.ts"), "x");
  server = createServer(createPlaybackHandler({ cwd, getConfigs: () => configs, tz }));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  base = `http://${host}`;
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
  await rm(cwd, { recursive: true, force: true });
});

describe("GET /list", () => {
  it("merges consecutive segments into one span with the summed duration and a /get url", async () => {
    expect(completed.length).toBeGreaterThanOrEqual(3);
    const first = startOf(completed[0]?.file ?? "");
    const [status, body] = await getJson("/list?path=cams/c1");
    expect(status).toBe(200);
    const [entry, ...rest] = body as Array<{ start: string; duration: number; url: string }>;
    expect(rest).toEqual([]);
    expect(entry?.start).toBe(formatGoRfc3339Nano(first, tz));
    const total = completed.reduce((sum, c) => sum + c.duration, 0);
    expect(entry?.duration).toBeCloseTo(total, 2);
    const url = new URL(entry?.url ?? "");
    expect([url.host, url.pathname, [...url.searchParams.keys()]]).toEqual([
      host,
      "/get",
      ["duration", "path", "start"],
    ]);
    expect(url.searchParams.get("start")).toBe(entry?.start);
  });

  it("trims the span to start and end", async () => {
    const first = startOf(completed[0]?.file ?? "");
    const start = formatGoRfc3339Nano(first + 500_000, tz);
    const end = formatGoRfc3339Nano(first + 1_700_000, tz);
    const [status, body] = await getJson(
      `/list?path=cams/c1&start=${encodeURIComponent(start)}&end=${encodeURIComponent(end)}`,
    );
    expect(status).toBe(200);
    expect((body as Array<{ start: string; duration: number }>).map((e) => [e.start, e.duration])).toEqual([
      [start, 1.2],
    ]);
  });

  it("answers 404, 400 and 500 with MediaMTX's error bodies", async () => {
    expect(await getJson("/list?path=empty")).toEqual([
      404,
      { status: "error", error: "no recording segments found" },
    ]);
    expect(await getJson("/list?path=nope")).toEqual([
      400,
      { status: "error", error: "path 'nope' is not configured" },
    ]);
    expect(await getJson("/list?path=ts")).toEqual([
      500,
      { status: "error", error: "MPEG-TS format is not supported yet" },
    ]);
    const [status] = await getJson("/list?path=cams/c1&start=yesterday");
    expect(status).toBe(400);
  });
});

describe("GET /get", () => {
  it("returns an mp4 of the requested window without byte ranges", async () => {
    const first = startOf(completed[0]?.file ?? "");
    const start = encodeURIComponent(formatGoRfc3339Nano(first + 500_000, tz));
    for (const format of ["fmp4", "mp4"]) {
      const res = await fetch(`${base}/get?path=cams/c1&start=${start}&duration=1.5&format=${format}`);
      expect([res.status, res.headers.get("content-type"), res.headers.get("accept-ranges")]).toEqual([
        200,
        "video/mp4",
        "none",
      ]);
      const file = join(cwd, `out-${format}.mp4`);
      await writeFile(file, Buffer.from(await res.arrayBuffer()));
      const probe = (await ffprobeJson(["-show_entries", "format=duration:stream=codec_name", file])) as {
        format: { duration: string };
        streams: Array<{ codec_name: string }>;
      };
      expect(probe.streams.map((s) => s.codec_name)).toEqual(["h264", "aac"]);
      expect(Number(probe.format.duration)).toBeGreaterThan(1.2);
      expect(Number(probe.format.duration)).toBeLessThan(2.6);
    }
  });

  it("answers 404 outside the recordings and 400 for bad parameters", async () => {
    expect(await getJson("/get?path=cams/c1&start=2030-01-01T00:00:00Z&duration=5")).toEqual([
      404,
      { status: "error", error: "no recording segments found" },
    ]);
    const start = encodeURIComponent(formatGoRfc3339Nano(startOf(completed[0]?.file ?? ""), tz));
    const statuses = await Promise.all(
      [
        `/get?path=cams/c1&start=${start}&duration=abc`,
        `/get?path=cams/c1&start=nope&duration=1`,
        `/get?path=cams/c1&start=${start}&duration=1&format=webm`,
        `/get?path=nope&start=${start}&duration=1`,
      ].map(async (p) => (await fetch(`${base}${p}`)).status),
    );
    expect(statuses).toEqual([400, 400, 400, 400]);
  });
});

describe("gaps", () => {
  it("splits the span when a middle segment is deleted", async () => {
    await rm(join(cwd, completed[1]?.file ?? ""));
    const [status, body] = await getJson("/list?path=cams/c1");
    expect(status).toBe(200);
    expect((body as unknown[]).length).toBe(2);
  });
});
