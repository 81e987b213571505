// Every media scenario, published through the simulator's control endpoint and read back by a
// real ffprobe from the simulator's own HLS server, next to what the Control API reports.
import { startSimulator } from "@mtx-fleet/testkit";
import { describe, expect, it } from "vitest";
import { ffprobeJson } from "../media/index.ts";
import { httpCall } from "../test-support/http-call.ts";

interface Probe {
  streams: Array<{
    codec_type: string;
    codec_name: string;
    width?: number;
    height?: number;
    avg_frame_rate?: string;
  }>;
}

const SCENARIOS = ["testsrc", "black", "frozen", "lowfps", "silent", "noaudio"] as const;

function summary(probe: Probe): Record<string, unknown> {
  const video = probe.streams.find((s) => s.codec_type === "video");
  const audio = probe.streams.find((s) => s.codec_type === "audio");
  const [num, den] = (video?.avg_frame_rate ?? "0/1").split("/").map(Number);
  return {
    video: video === undefined ? null : `${video.codec_name} ${video.width}x${video.height}`,
    fps: Math.round((num ?? 0) / (den || 1)),
    audio: audio?.codec_name ?? null,
  };
}

describe("scenario streams of the simulator", () => {
  it("are readable by ffprobe over the simulator's HLS with the expected codecs and sizes", async () => {
    await using sim = await startSimulator();
    for (const scenario of SCENARIOS) await sim.control.publish(`scn/${scenario}`, scenario);
    const results: Record<string, unknown> = {};
    for (const scenario of SCENARIOS) {
      const probe = (await ffprobeJson(["-show_streams", `${sim.hlsUrl}/scn/${scenario}/index.m3u8`], {
        timeoutMs: 20_000,
      })) as Probe;
      results[scenario] = summary(probe);
    }
    const av = { video: "h264 640x360", fps: 25, audio: "aac" };
    expect(results).toEqual({
      testsrc: av,
      black: av,
      frozen: av,
      lowfps: av, // declares 25 fps; the frames actually sent are counted below
      silent: av,
      noaudio: { ...av, audio: null },
    });
    const packets = (await ffprobeJson([
      "-select_streams",
      "v",
      "-read_intervals",
      "%+2",
      "-show_entries",
      "packet=pts_time",
      `${sim.hlsUrl}/scn/lowfps/index.m3u8`,
    ])) as { packets: Array<{ pts_time: string }> };
    const pts = packets.packets.map((p) => Number(p.pts_time));
    expect(Math.round((pts.length - 1) / ((pts.at(-1) ?? 0) - (pts[0] ?? 0)))).toBe(5);
    const listed = (await httpCall(sim.apiUrl, "GET", "/v3/paths/list")).json as {
      items: Array<{ name: string; available: boolean; tracks: string[] }>;
    };
    expect(listed.items.find((p) => p.name === "scn/noaudio")?.tracks).toEqual(["H264"]);
    expect(listed.items.filter((p) => p.name.startsWith("scn/")).every((p) => p.available)).toBe(true);
  });

  it("serves nothing readable for a publisher that never sends media (stalled), while the API calls it available", async () => {
    await using sim = await startSimulator();
    await sim.control.publish("scn/stalled", "stalled");
    await expect(
      ffprobeJson(["-show_streams", `${sim.hlsUrl}/scn/stalled/index.m3u8`], { timeoutMs: 10_000 }),
    ).rejects.toThrow();
    const path = (await httpCall(sim.apiUrl, "GET", "/v3/paths/get/scn/stalled")).json as {
      available: boolean;
      inboundBytes: number;
    };
    expect([path.available, path.inboundBytes]).toEqual([true, 0]);
  });
});
