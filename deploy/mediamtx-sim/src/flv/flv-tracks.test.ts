import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ffprobeJson, runTool } from "../media/index.ts";
import { FlvParser } from "./flv-tag.ts";
import { tracksOf } from "./flv-tracks.ts";

interface ProbeStream {
  codec_name: string;
  profile?: string;
  level?: number;
  width?: number;
  height?: number;
  sample_rate?: string;
  channels?: number;
}

/** Encodes 1 s into an FLV file; returns its bytes and what ffprobe reads from it. */
async function encodeFlv(args: string[]): Promise<{ bytes: Buffer; streams: ProbeStream[] }> {
  const dir = await mkdtemp(join(tmpdir(), "mtx-flv-"));
  try {
    const out = join(dir, "a.flv");
    await runTool("ffmpeg", [
      "-hide_banner",
      "-loglevel",
      "error",
      "-nostdin",
      ...args,
      "-t",
      "1",
      "-f",
      "flv",
      out,
    ]);
    const probe = (await ffprobeJson(["-show_streams", out])) as { streams: ProbeStream[] };
    return { bytes: await readFile(out), streams: probe.streams };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const levelName = (level: number) => `${Math.floor(level / 10)}.${level % 10}`.replace(/\.0$/, "");

describe("tracksOf (what MediaMTX reports of an RTMP publisher)", () => {
  it("reads width, height, profile and level from the SPS and the AAC config, as ffprobe sees them", async () => {
    const lavfi = [
      "-f",
      "lavfi",
      "-i",
      "testsrc2=size=640x360:rate=25",
      "-f",
      "lavfi",
      "-i",
      "sine=sample_rate=44100",
    ];
    const enc = ["-c:v", "libx264", "-profile:v", "high", "-preset", "veryfast", "-c:a", "aac", "-ac", "2"];
    const { bytes, streams } = await encodeFlv([...lavfi, ...enc]);
    const [v, a] = streams;
    expect([v?.profile, a?.sample_rate, a?.channels]).toEqual(["High", "44100", 2]);
    expect(tracksOf(new FlvParser().push(bytes))).toEqual({
      tracks: [
        {
          codec: "H264",
          codecProps: { width: 640, height: 360, profile: "High", level: levelName(v?.level ?? 0) },
        },
        { codec: "MPEG-4 Audio", codecProps: { sampleRate: 44100, channelCount: 2 } },
      ],
    });
  });

  it("handles cropped picture sizes and refuses codecs MediaMTX does not take over RTMP", async () => {
    const video = ["-f", "lavfi", "-i", "testsrc2=size=642x362:rate=10"];
    const h264 = await encodeFlv([
      ...video,
      "-c:v",
      "libx264",
      "-preset",
      "ultrafast",
      "-pix_fmt",
      "yuv420p",
    ]);
    expect([h264.streams[0]?.width, h264.streams[0]?.height]).toEqual([642, 362]);
    expect(tracksOf(new FlvParser().push(h264.bytes))).toMatchObject({
      tracks: [{ codec: "H264", codecProps: { width: 642, height: 362 } }],
    });
    const sorenson = await encodeFlv([...video, "-c:v", "flv1"]);
    expect(tracksOf(new FlvParser().push(sorenson.bytes))).toEqual({ error: "unsupported video codec: 2" });
    expect(tracksOf([])).toEqual({ error: "no tracks found" });
  });
});
