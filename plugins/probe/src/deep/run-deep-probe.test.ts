// Real media: every scenario of the MediaMTX simulator, read by the engine's one ffmpeg over
// the simulator's HLS (and RTMP), with what each filter measured.
import { type StartedSimulator, startSimulator } from "@mtx-fleet/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DeepProbeMeasurement, DeepProbeResult } from "./deep-probe-types.ts";
import { runDeepProbe } from "./run-deep-probe.ts";
import { probeRequest } from "./test-support/probe-request.ts";

const SCENARIOS = ["testsrc", "black", "frozen", "lowfps", "silent", "noaudio"] as const;
let sim: StartedSimulator;

beforeAll(async () => {
  sim = await startSimulator();
  await Promise.all(SCENARIOS.map((s) => sim.control.publish(`deep/${s}`, s)));
}, 60_000);

afterAll(async () => {
  await sim?.[Symbol.asyncDispose]();
});

function measured(result: DeepProbeResult): DeepProbeMeasurement {
  if (result.kind !== "measured") return expect.fail(`expected a measurement, got ${JSON.stringify(result)}`);
  return result.measurement;
}

const hls = (scenario: string) => `${sim.hlsUrl}/deep/${scenario}/index.m3u8`;
const spanCount = (m: DeepProbeMeasurement) => ({
  black: m.black.length,
  frozen: m.frozen.length,
  silent: m.silent.length,
});

describe("runDeepProbe on real media", () => {
  it("measures a healthy stream: codecs, size, declared and measured fps, audio, bitrate, timings", async () => {
    const m = measured(await runDeepProbe(probeRequest(hls("testsrc"))));
    expect({ video: m.video, audio: m.audio, spans: spanCount(m) }).toEqual({
      video: { codec: "h264", width: 640, height: 360, declaredFps: 25, measuredFps: expect.closeTo(25, 0) },
      audio: { codec: "aac", sampleRate: 48_000, channels: 1 },
      spans: { black: 0, frozen: 0, silent: 0 },
    });
    expect(m.sampledSeconds).toBeCloseTo(2, 0);
    expect(m.bitrateBps).toBeGreaterThan(100_000);
    expect(m.startupMs).toBeGreaterThan(0);
    expect(m.startupMs).toBeLessThanOrEqual(m.elapsedMs);
    expect(m.cpuMs).toBeGreaterThan(0);
  });

  it("measures black (and, a black picture being still, frozen) video", async () => {
    const m = measured(await runDeepProbe(probeRequest(hls("black"))));
    // The first video frame comes a few ms after the first audio frame: spans start near 0.
    const wholeSample = {
      startSeconds: expect.closeTo(0, 0),
      endSeconds: null,
      durationSeconds: expect.closeTo(2, 0),
    };
    expect(m.black).toEqual([wholeSample]);
    expect(m.frozen).toEqual([wholeSample]);
    expect(m.silent).toEqual([]);
  });

  it("measures frozen video that is not black", async () => {
    const m = measured(await runDeepProbe(probeRequest(hls("frozen"))));
    expect(spanCount(m)).toEqual({ black: 0, frozen: 1, silent: 0 });
    expect(m.frozen[0]).toMatchObject({ startSeconds: expect.closeTo(0, 0), endSeconds: null });
  });

  it("measures silence on a stream whose audio track is present", async () => {
    const m = measured(await runDeepProbe(probeRequest(hls("silent"))));
    expect({ audio: m.audio?.codec, spans: spanCount(m) }).toEqual({
      audio: "aac",
      spans: { black: 0, frozen: 0, silent: 1 },
    });
    expect(m.silent[0]?.durationSeconds).toBeGreaterThan(1.5);
  });

  it("reports a stream without audio as audio null, never as silent", async () => {
    const m = measured(await runDeepProbe(probeRequest(hls("noaudio"))));
    expect({ audio: m.audio, silent: m.silent, video: m.video?.codec }).toEqual({
      audio: null,
      silent: [],
      video: "h264",
    });
  });

  it("measures the frames actually sent against the rate the stream declares", async () => {
    const m = measured(await runDeepProbe(probeRequest(hls("lowfps"))));
    expect({ declared: m.video?.declaredFps, measured: m.video?.measuredFps }).toEqual({
      declared: 25,
      measured: expect.closeTo(5, 0),
    });
  });

  it("runs only the filters asked for", async () => {
    const request = probeRequest(hls("black"), {
      sampleSeconds: 1,
      checks: { black: false, freeze: false, silence: false },
    });
    const m = measured(await runDeepProbe(request));
    expect(spanCount(m)).toEqual({ black: 0, frozen: 0, silent: 0 });
    expect(m.video?.codec).toBe("h264");
  });

  it("reads RTMP from the simulator the same way", async () => {
    const m = measured(await runDeepProbe(probeRequest(`${sim.rtmpUrl}/deep/testsrc`, { sampleSeconds: 1 })));
    expect({ video: m.video?.codec, width: m.video?.width, audio: m.audio?.codec }).toEqual({
      video: "h264",
      width: 640,
      audio: "aac",
    });
  });

  it("fails with ffmpeg's reason when the path does not exist", async () => {
    const result = await runDeepProbe(probeRequest(`${sim.hlsUrl}/deep/nothing/index.m3u8`));
    expect(result).toMatchObject({ kind: "failed", message: expect.stringContaining("404 Not Found") });
  });

  it("keeps credentials and tokens of the URL out of a failure's message and stderr", async () => {
    const url = `${sim.hlsUrl.replace("http://", "http://viewer:s3cret@")}/deep/nothing/index.m3u8?jwt=tok123`;
    const result = await runDeepProbe(probeRequest(url));
    expect(result.kind).toBe("failed");
    const text = result.kind === "failed" ? `${result.message}\n${result.stderr}` : "";
    expect([text.includes("s3cret"), text.includes("tok123"), text.includes("jwt=***")]).toEqual([
      false,
      false,
      true,
    ]);
  });

  it("refuses a request whose numbers cannot be ffmpeg options", async () => {
    await expect(
      runDeepProbe(probeRequest(hls("testsrc"), { sampleSeconds: Number.NaN })),
    ).rejects.toMatchObject({
      code: "MTX_INVALID_INPUT",
    });
    await expect(
      runDeepProbe(probeRequest(hls("testsrc"), { userAgent: "a\r\nX-Evil: 1" })),
    ).rejects.toMatchObject({
      code: "MTX_INVALID_INPUT",
    });
  });
});
