import { MtxError } from "@mtx-fleet/plugin-api";
import type { TestStreamScenario } from "./test-stream-scenarios.ts";

/** The simulator's picture and rates (small: tests run many streams on two cores). */
export const TEST_STREAM_WIDTH = 640;
export const TEST_STREAM_HEIGHT = 360;
/** The rate every stream declares; `lowfps` sends `TEST_STREAM_LOW_FPS` frames a second. */
export const TEST_STREAM_FPS = 25;
export const TEST_STREAM_LOW_FPS = 5;
export const TEST_STREAM_SAMPLE_RATE = 48_000;

export interface TestStreamArgsOptions {
  /** Stop after this many seconds of media (ffmpeg `-t`); unset = until stopped. */
  readonly durationSeconds?: number;
}

function videoSource(s: TestStreamScenario): string {
  const size = `${TEST_STREAM_WIDTH}x${TEST_STREAM_HEIGHT}`;
  switch (s) {
    case "black":
      return `color=c=black:size=${size}:rate=${TEST_STREAM_FPS}`;
    case "frozen":
      return `smptebars=size=${size}:rate=${TEST_STREAM_FPS}`;
    case "lowfps":
      return `testsrc2=size=${size}:rate=${TEST_STREAM_LOW_FPS}`;
    case "testsrc":
    case "silent":
    case "noaudio":
      return `testsrc2=size=${size}:rate=${TEST_STREAM_FPS}`;
    default:
      throw s satisfies never;
  }
}

function audioSource(s: TestStreamScenario): string | undefined {
  if (s === "noaudio") return undefined;
  if (s === "silent") return `anullsrc=channel_layout=mono:sample_rate=${TEST_STREAM_SAMPLE_RATE}`;
  return `sine=frequency=440:sample_rate=${TEST_STREAM_SAMPLE_RATE}`;
}

/** The muxer for the URL's scheme: FLV for RTMP, RTSP over TCP, MPEG-TS for SRT. */
function outputArgs(url: string): string[] {
  const scheme = (/^([a-z0-9+.-]+):/i.exec(url)?.[1] ?? "").toLowerCase();
  switch (scheme) {
    case "rtmp":
    case "rtmps":
      return ["-f", "flv", url];
    case "rtsp":
    case "rtsps":
      return ["-f", "rtsp", "-rtsp_transport", "tcp", url];
    case "srt":
      return ["-f", "mpegts", url];
    default:
      throw new MtxError(
        "MTX_INVALID_INPUT",
        `cannot publish to '${scheme}:' URLs (rtmp, rtmps, rtsp, rtsps, srt)`,
      );
  }
}

/**
 * ffmpeg arguments that publish `scenario` to `url` in real time (`-re`): a lavfi graph encoded
 * like the simulator's media (libx264 ultrafast/zerolatency, a key frame every second, mono
 * AAC). `lowfps` sends 5 fps while its SPS declares 25, like a camera that cannot keep up.
 */
export function testStreamArgs(
  scenario: TestStreamScenario,
  url: string,
  options: TestStreamArgsOptions = {},
): string[] {
  const audio = audioSource(scenario);
  const graph =
    audio === undefined ? `${videoSource(scenario)}[out0]` : `${videoSource(scenario)}[out0];${audio}[out1]`;
  const fps = scenario === "lowfps" ? TEST_STREAM_LOW_FPS : TEST_STREAM_FPS;
  const args = [
    "-hide_banner",
    "-nostdin",
    "-nostats",
    "-loglevel",
    "info",
    "-re",
    "-f",
    "lavfi",
    "-i",
    graph,
  ];
  if (options.durationSeconds !== undefined) args.push("-t", String(options.durationSeconds));
  args.push("-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-pix_fmt", "yuv420p");
  args.push("-g", String(fps), "-keyint_min", String(fps), "-sc_threshold", "0", "-crf", "28");
  if (scenario === "lowfps") args.push("-x264-params", `fps=${TEST_STREAM_FPS}`);
  if (audio !== undefined) args.push("-c:a", "aac", "-b:a", "64k", "-ac", "1");
  return [...args, ...outputArgs(url)];
}
