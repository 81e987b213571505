// The test streams published with real ffmpeg into the MediaMTX simulator over RTMP, and into
// an ffmpeg RTSP listener, then measured by the deep-probe engine.
import { spawn } from "node:child_process";
import { freePort, type StartedSimulator, startSimulator, waitFor } from "@mtx-fleet/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DeepProbeMeasurement } from "../deep/deep-probe-types.ts";
import { FfmpegLogParser } from "../deep/ffmpeg-log-parser.ts";
import { processGroupMembers } from "../deep/process-group-members.ts";
import { runDeepProbe } from "../deep/run-deep-probe.ts";
import { probeRequest } from "../deep/test-support/probe-request.ts";
import { publishTestStream, type TestStream } from "./publish-test-stream.ts";
import { TEST_STREAM_SCENARIOS } from "./test-stream-scenarios.ts";

let sim: StartedSimulator;
const streams: TestStream[] = [];

beforeAll(async () => {
  sim = await startSimulator();
  streams.push(
    ...(await Promise.all(TEST_STREAM_SCENARIOS.map((s) => publishTestStream(s, `${sim.rtmpUrl}/ts/${s}`)))),
  );
}, 60_000);

afterAll(async () => {
  await Promise.all(streams.map((s) => s.stop()));
  await sim?.[Symbol.asyncDispose]();
});

/** Probes the path over the simulator's HLS once it has a playlist with enough media. */
async function measure(path: string): Promise<DeepProbeMeasurement> {
  const url = `${sim.hlsUrl}/${path}/index.m3u8`;
  // index.m3u8 is MediaMTX's multivariant playlist: its variant line is the media playlist.
  const mediaPlaylist = async (): Promise<string> => {
    const variant = (await (await fetch(url)).text()).split("\n").find((l) => l.includes(".m3u8")) ?? "";
    return variant === "" ? "" : (await fetch(new URL(variant, url))).text();
  };
  await waitFor(mediaPlaylist, (playlist) => (playlist.match(/#EXTINF/g) ?? []).length >= 2, 20_000);
  const result = await runDeepProbe(probeRequest(url));
  if (result.kind !== "measured") return expect.fail(JSON.stringify(result));
  return result.measurement;
}

describe("publishTestStream", () => {
  it("publishes every scenario into the simulator over RTMP, each measuring as it should", async () => {
    const found: Record<string, unknown> = {};
    for (const s of TEST_STREAM_SCENARIOS) {
      const m = await measure(`ts/${s}`);
      found[s] = {
        video: m.video?.codec,
        fps: Math.round(m.video?.measuredFps ?? 0),
        declared: m.video?.declaredFps,
        audio: m.audio?.codec ?? null,
        black: m.black.length > 0,
        frozen: m.frozen.length > 0,
        silent: m.silent.length > 0,
      };
    }
    const healthy = {
      video: "h264",
      fps: 25,
      declared: 25,
      audio: "aac",
      black: false,
      frozen: false,
      silent: false,
    };
    expect(found).toEqual({
      testsrc: healthy,
      black: { ...healthy, black: true, frozen: true },
      frozen: { ...healthy, frozen: true },
      silent: { ...healthy, silent: true },
      noaudio: { ...healthy, audio: null },
      lowfps: { ...healthy, fps: 5 },
    });
  }, 60_000);

  it("publishes over RTSP (TCP) to an RTSP server", async () => {
    const port = await freePort();
    const url = `rtsp://127.0.0.1:${port}/live/cam`;
    // ffmpeg as the RTSP server: it takes the publish (ANNOUNCE/RECORD) and runs silencedetect.
    const args = [
      "-hide_banner",
      "-nostdin",
      "-nostats",
      "-loglevel",
      "verbose",
      "-rtsp_flags",
      "listen",
      "-t",
      "2",
    ];
    args.push(
      "-i",
      url,
      "-map",
      "0:v:0?",
      "-map",
      "0:a:0?",
      "-af",
      "silencedetect=n=-50dB:d=1",
      "-f",
      "null",
      "-",
    );
    const server = spawn("ffmpeg", args, { stdio: ["ignore", "ignore", "pipe"] });
    const parser = new FfmpegLogParser();
    let text = "";
    server.stderr.on("data", (chunk: Buffer) => {
      text += chunk.toString();
      const lines = text.split(/\r|\n/);
      text = lines.pop() ?? "";
      for (const line of lines) parser.push(line, 0);
    });
    const ended = new Promise<number | null>((resolve) => server.once("exit", resolve));
    // The listener needs a moment to bind; ffmpeg refuses the publish until then.
    const stream = await waitFor(
      () => publishTestStream("silent", url, { startTimeoutMs: 5_000 }).catch(() => undefined),
      (s) => s !== undefined,
      15_000,
      200,
    );
    try {
      expect(await ended).toBe(0);
      const facts = parser.facts();
      expect({ video: facts.video?.codec, audio: facts.audio?.codec, silent: facts.silent.length }).toEqual({
        video: "h264",
        audio: "aac",
        silent: 1,
      });
    } finally {
      await stream?.stop();
    }
  }, 30_000);

  it("stops ffmpeg and leaves nothing of it behind", async () => {
    const stream = await publishTestStream("noaudio", `${sim.rtmpUrl}/ts/stop-me`);
    const exit = await stream.stop();
    expect(exit.code === 0 || exit.code === 255 || exit.signal !== null).toBe(true);
    expect(await processGroupMembers(stream.pid)).toEqual([]);
    expect(await stream.stop()).toEqual(exit);
  });

  it("says why when nothing takes the stream", async () => {
    const port = await freePort();
    await expect(publishTestStream("testsrc", `rtmp://127.0.0.1:${port}/live/x`)).rejects.toMatchObject({
      code: "MTX_UNAVAILABLE",
      message: expect.stringContaining("Connection refused"),
    });
  });
});
