import type { Scenario } from "./scenario.ts";

/** Picture size of every scenario: small, because tests run many streams on two cores. */
export const VIDEO_WIDTH = 640;
export const VIDEO_HEIGHT = 360;
/** Frame rate the encoder declares (lowfps sends fewer frames but still declares this). */
export const VIDEO_FPS = 25;
export const LOW_FPS = 5;
export const AUDIO_SAMPLE_RATE = 48_000;

const size = `${VIDEO_WIDTH}x${VIDEO_HEIGHT}`;

function videoSource(s: Scenario): string {
  switch (s) {
    case "black":
      return `color=c=black:size=${size}:rate=${VIDEO_FPS}`;
    case "frozen":
      // A static, non-black picture: freezedetect fires, blackdetect does not.
      return `smptebars=size=${size}:rate=${VIDEO_FPS}`;
    case "lowfps":
      return `testsrc2=size=${size}:rate=${LOW_FPS}`;
    default:
      return `testsrc2=size=${size}:rate=${VIDEO_FPS}`;
  }
}

function audioSource(s: Scenario): string | undefined {
  switch (s) {
    case "noaudio":
      return undefined;
    case "silent":
      return `anullsrc=channel_layout=mono:sample_rate=${AUDIO_SAMPLE_RATE}`;
    default:
      return `sine=frequency=440:sample_rate=${AUDIO_SAMPLE_RATE}`;
  }
}

/** True when the scenario's media carries an audio track. */
export function scenarioHasAudio(s: Scenario): boolean {
  return audioSource(s) !== undefined;
}

/**
 * ffmpeg input arguments (one realtime lavfi graph) producing the scenario's raw media;
 * `[]` for `stalled` and `synthetic`, which have no media.
 */
export function scenarioInputArgs(s: Scenario): string[] {
  if (s === "stalled" || s === "synthetic") return [];
  const audio = audioSource(s);
  const graph = audio === undefined ? `${videoSource(s)}[out0]` : `${videoSource(s)}[out0];${audio}[out1]`;
  return ["-re", "-f", "lavfi", "-i", graph];
}

/** ffmpeg codec arguments: H264 (libx264, ultrafast, a key frame every second) and mono AAC. */
export function scenarioEncodeArgs(s: Scenario): string[] {
  if (s === "stalled" || s === "synthetic") return [];
  const fps = s === "lowfps" ? LOW_FPS : VIDEO_FPS;
  const video = ["-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-pix_fmt", "yuv420p"];
  video.push("-g", String(fps), "-keyint_min", String(fps), "-sc_threshold", "0", "-crf", "28");
  // The SPS of lowfps still declares 25 fps, like a camera that cannot keep up.
  if (s === "lowfps") video.push("-x264-params", `fps=${VIDEO_FPS}`);
  const audio = scenarioHasAudio(s) ? ["-c:a", "aac", "-b:a", "64k", "-ac", "1"] : [];
  return [...video, ...audio];
}
