// The probe plugin's default read URL is RTSP: the deep probe reads real scenario media over the
// MediaMTX simulator's RTSP server (TCP interleaved), and the read is one rtspSession reader.
import { type StartedSimulator, startSimulator } from "@mtx-fleet/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DeepProbeMeasurement, DeepProbeResult } from "./deep-probe-types.ts";
import { runDeepProbe } from "./run-deep-probe.ts";
import { probeRequest } from "./test-support/probe-request.ts";

let sim: StartedSimulator;

beforeAll(async () => {
  sim = await startSimulator({
    config: { paths: { all_others: { runOnRead: "sh -c 'echo \"$MTX_READER_TYPE\" >> read.log'" } } },
  });
  await Promise.all([
    sim.control.publish("rtsp/testsrc", "testsrc"),
    sim.control.publish("rtsp/black", "black"),
  ]);
}, 60_000);

afterAll(async () => {
  await sim?.[Symbol.asyncDispose]();
});

function measured(result: DeepProbeResult): DeepProbeMeasurement {
  if (result.kind !== "measured") return expect.fail(`expected a measurement, got ${JSON.stringify(result)}`);
  return result.measurement;
}

describe("runDeepProbe over the simulator's RTSP", () => {
  it("measures a healthy stream read over RTSP: codecs, size, fps, audio", async () => {
    const m = measured(await runDeepProbe(probeRequest(`${sim.rtspUrl}/rtsp/testsrc`)));
    expect({ video: m.video, audio: m.audio }).toEqual({
      video: { codec: "h264", width: 640, height: 360, declaredFps: 25, measuredFps: expect.any(Number) },
      audio: { codec: "aac", sampleRate: 48_000, channels: 1 },
    });
    // RTSP readers get the audio from the first packet on, the video from its key frame: the
    // video of a 2 s sample starts a few tenths of a second late (MediaMTX, too, does not align them).
    expect(m.video?.measuredFps).toBeGreaterThan(15);
    expect(m.video?.measuredFps).toBeLessThan(26);
    expect(m.black).toEqual([]);
    expect(m.bitrateBps).toBeGreaterThan(100_000);
  });

  it("measures black video over RTSP", async () => {
    const m = measured(await runDeepProbe(probeRequest(`${sim.rtspUrl}/rtsp/black`)));
    expect(m.black.length).toBe(1);
    expect(m.video?.codec).toBe("h264");
  });

  it("fails with the RTSP status when nothing is published", async () => {
    const result = await runDeepProbe(probeRequest(`${sim.rtspUrl}/rtsp/nothing`));
    expect(result).toMatchObject({ kind: "failed", message: expect.stringContaining("404 Not Found") });
  });
});
