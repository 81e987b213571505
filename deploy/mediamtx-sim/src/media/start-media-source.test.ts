import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHlsHandler } from "./create-hls-handler.ts";
import { ffprobeJson, runTool } from "./run-tool.ts";
import type { Scenario } from "./scenario.ts";
import { type MediaSource, startMediaSource } from "./start-media-source.ts";

interface ProbeStream {
  codec_type: string;
  codec_name: string;
  profile?: string;
  level?: number;
  width?: number;
  height?: number;
  sample_rate?: string;
  channels?: number;
  avg_frame_rate?: string;
}

let hlsRoot: string;
let server: Server;
let base: string;
const sources = new Map<string, MediaSource>();
const MEDIA_PATHS: Record<string, Scenario> = {
  "cams/site1/cam7": "testsrc",
  "t/black": "black",
  "t/frozen": "frozen",
  "t/lowfps": "lowfps",
  "t/silent": "silent",
  "t/noaudio": "noaudio",
};

function source(path: string): MediaSource {
  const s = sources.get(path);
  if (s === undefined) throw new Error(`no source ${path}`);
  return s;
}

async function probeStreams(path: string): Promise<ProbeStream[]> {
  const out = (await ffprobeJson(["-show_streams", `${base}/${path}/index.m3u8`])) as {
    streams: ProbeStream[];
  };
  return out.streams;
}

/** Runs ffmpeg detection filters over ~3 s of the live stream and returns its log. */
async function detect(path: string, filters: string[]): Promise<string> {
  const args = [
    "-hide_banner",
    "-nostdin",
    "-loglevel",
    "info",
    "-i",
    `${base}/${path}/index.m3u8`,
    "-t",
    "3",
  ];
  args.push(...filters, "-f", "null", "-");
  return (await runTool("ffmpeg", args)).stderr;
}

beforeAll(async () => {
  hlsRoot = await mkdtemp(join(tmpdir(), "mtx-media-"));
  server = createServer(createHlsHandler(hlsRoot));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await Promise.all(
    Object.entries(MEDIA_PATHS).map(async ([path, scenario]) => {
      sources.set(path, await startMediaSource({ path, scenario, hlsRoot }));
    }),
  );
});

afterAll(async () => {
  await Promise.all([...sources.values()].map((s) => s.stop()));
  await new Promise((r) => server.close(r));
  await rm(hlsRoot, { recursive: true, force: true });
});

describe("startMediaSource with real ffmpeg", () => {
  it("serves testsrc on a slashed path as H264 640x360 25 fps plus AAC, as tracks2 declares", async () => {
    const streams = await probeStreams("cams/site1/cam7");
    expect(streams.map((s) => [s.codec_type, s.codec_name])).toEqual([
      ["video", "h264"],
      ["audio", "aac"],
    ]);
    const [v, a] = streams;
    expect([v?.width, v?.height, v?.profile, v?.level, v?.avg_frame_rate]).toEqual([
      640,
      360,
      "Constrained Baseline",
      30,
      "25/1",
    ]);
    expect([a?.sample_rate, a?.channels]).toEqual(["48000", 1]);
    expect(source("cams/site1/cam7").tracks2).toEqual([
      { codec: "H264", codecProps: { width: 640, height: 360, profile: "Baseline", level: "3" } },
      { codec: "MPEG-4 Audio", codecProps: { sampleRate: 48000, channelCount: 1 } },
    ]);
    expect(source("cams/site1/cam7").tracks).toEqual(["H264", "MPEG-4 Audio"]);
  });

  it("serves noaudio as a single video track", async () => {
    expect((await probeStreams("t/noaudio")).map((s) => s.codec_type)).toEqual(["video"]);
    expect(source("t/noaudio").tracks).toEqual(["H264"]);
  });

  it("sends 5 frames per second on lowfps while the stream declares 25", async () => {
    const out = (await ffprobeJson([
      "-select_streams",
      "v",
      "-read_intervals",
      "%+2",
      "-show_entries",
      "packet=pts_time:stream=avg_frame_rate",
      `${base}/t/lowfps/index.m3u8`,
    ])) as { packets: Array<{ pts_time: string }>; streams: Array<{ avg_frame_rate: string }> };
    const pts = out.packets.map((p) => Number(p.pts_time));
    const fps = (pts.length - 1) / ((pts.at(-1) ?? 0) - (pts[0] ?? 0));
    expect(Math.round(fps)).toBe(5);
    expect(out.streams[0]?.avg_frame_rate).toBe("25/1");
  });

  it("shows black on black, a freeze on frozen and silence on silent; testsrc shows none", async () => {
    const [black, frozen, silent, normal] = await Promise.all([
      detect("t/black", ["-vf", "blackdetect=d=1:pix_th=0.1", "-an"]),
      detect("t/frozen", ["-vf", "freezedetect=n=0.003:d=1", "-an"]),
      detect("t/silent", ["-af", "silencedetect=n=-50dB:d=1", "-vn"]),
      detect("cams/site1/cam7", ["-vf", "blackdetect=d=1:pix_th=0.1,freezedetect=n=0.003:d=1"]),
    ]);
    expect(black).toContain("black_start");
    expect(frozen).toContain("freeze_start");
    expect(silent).toContain("silence_start");
    expect([normal.includes("black_start"), normal.includes("freeze_start")]).toEqual([false, false]);
  });

  it("counts the segment bytes it writes", async () => {
    const s = source("t/noaudio");
    const before = s.inboundBytes();
    await new Promise((r) => setTimeout(r, 2_500));
    expect(s.inboundBytes()).toBeGreaterThan(before);
  });
});

describe("scenario switches and stop", () => {
  it("stops byte growth when stalled, keeps the playlist, and resumes on switching back", async () => {
    const s = await startMediaSource({ path: "sw/a", scenario: "testsrc", hlsRoot });
    try {
      const pid = s.pid ?? -1;
      await s.switchScenario("stalled");
      expect([s.pid, s.scenario]).toEqual([undefined, "stalled"]);
      expect(() => process.kill(pid, 0)).toThrow(/ESRCH/);
      const frozenAt = s.inboundBytes();
      expect(frozenAt).toBeGreaterThan(0);
      await new Promise((r) => setTimeout(r, 1_500));
      expect(s.inboundBytes()).toBe(frozenAt);
      expect((await fetch(`${base}/sw/a/index.m3u8`)).status).toBe(200);
      await s.switchScenario("testsrc");
      await new Promise((r) => setTimeout(r, 2_500));
      expect(s.inboundBytes()).toBeGreaterThan(frozenAt);
    } finally {
      await s.stop();
    }
  });

  it("grows synthetic bytes at the configured rate without ffmpeg", async () => {
    const s = await startMediaSource({
      path: "syn",
      scenario: "synthetic",
      hlsRoot,
      syntheticBytesPerSecond: 10_000,
    });
    expect(s.pid).toBeUndefined();
    await new Promise((r) => setTimeout(r, 500));
    const bytes = s.inboundBytes();
    await s.stop();
    expect(bytes).toBeGreaterThanOrEqual(4_000);
    expect(bytes).toBeLessThan(20_000);
  });

  it("leaves no ffmpeg behind after stop, answers 404 afterwards, and stops only once", async () => {
    const s = await startMediaSource({ path: "gone/x", scenario: "noaudio", hlsRoot });
    const pid = s.pid ?? -1;
    expect(process.kill(pid, 0)).toBe(true);
    expect((await fetch(`${base}/gone/x/index.m3u8`)).status).toBe(200);
    await Promise.all([s.stop(), s.stop()]);
    expect(() => process.kill(pid, 0)).toThrow(/ESRCH/);
    expect((await fetch(`${base}/gone/x/index.m3u8`)).status).toBe(404);
  });
});

describe("createHlsHandler", () => {
  it("answers 404 for unknown paths and traversal, redirects /<path> and serves /<path>/", async () => {
    const statuses = await Promise.all(
      ["/nope/index.m3u8", "/cams/%2e%2e/%2e%2e/etc/passwd", "/cams/site1/cam7/../../x.ts"].map(
        async (p) => (await fetch(`${base}${p}`)).status,
      ),
    );
    expect(statuses).toEqual([404, 404, 404]);
    const redirect = await fetch(`${base}/cams/site1/cam7`, { redirect: "manual" });
    expect([redirect.status, redirect.headers.get("location")]).toEqual([301, "/cams/site1/cam7/"]);
    const page = await fetch(`${base}/cams/site1/cam7/`);
    expect([page.status, page.headers.get("content-type")]).toEqual([200, "text/html; charset=utf-8"]);
    const playlist = await fetch(`${base}/cams/site1/cam7/index.m3u8`);
    expect(playlist.headers.get("content-type")).toBe("application/vnd.apple.mpegurl");
    expect(await playlist.text()).toMatch(/^#EXTM3U/);
  });
});
