import { type ProcessGroup, spawnGroup, stopGroup } from "../media/spawn-group.ts";

/** A running ffmpeg (publisher or reader) of a test. */
export interface FfmpegClient extends AsyncDisposable {
  readonly group: ProcessGroup;
  /** Resolves with the exit code once ffmpeg ended (by itself or stopped). */
  readonly exited: Promise<number | null>;
  stop(): Promise<void>;
}

/** Small, cheap test media: 320x180 H264 at 25 fps, a key frame per second, mono AAC 48 kHz. */
export const TEST_VIDEO = { width: 320, height: 180 } as const;

function start(args: string[]): FfmpegClient {
  const group = spawnGroup("ffmpeg", ["-hide_banner", "-loglevel", "error", "-nostdin", ...args], {
    output: "ignore",
  });
  const exited = group.exited.then((e) => e.code);
  const stop = async () => {
    await stopGroup(group, { killAfterMs: 2_000 });
  };
  return { group, exited, stop, [Symbol.asyncDispose]: stop };
}

/** `ffmpeg -re <lavfi> -c:v libx264 -c:a aac -f flv <url>`, for `seconds` (default: until stopped). */
export function publishRtmp(url: string, options: { seconds?: number; audio?: boolean } = {}): FfmpegClient {
  const { seconds = 120, audio = true } = options;
  const video = `testsrc2=size=${TEST_VIDEO.width}x${TEST_VIDEO.height}:rate=25`;
  const args = ["-re", "-f", "lavfi", "-i", video];
  if (audio) args.push("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000");
  args.push("-t", String(seconds), "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency");
  args.push("-pix_fmt", "yuv420p", "-g", "25");
  if (audio) args.push("-c:a", "aac", "-b:a", "32k", "-ac", "1");
  args.push("-f", "flv", url);
  return start(args);
}

/** `ffmpeg -i <url> -c copy -t <seconds> -f flv <out>`: a reader (worker, forwarder). */
export function readRtmp(url: string, out: string, options: { seconds?: number } = {}): FfmpegClient {
  return start(["-i", url, "-t", String(options.seconds ?? 60), "-c", "copy", "-f", "flv", "-y", out]);
}

/** `ffmpeg -re <lavfi> -c:v libx264 -c:a aac -f rtsp -rtsp_transport tcp <url>` (an RTSP publisher). */
export function publishRtsp(url: string, options: { seconds?: number } = {}): FfmpegClient {
  const video = `testsrc2=size=${TEST_VIDEO.width}x${TEST_VIDEO.height}:rate=25`;
  const args = [
    "-re",
    "-f",
    "lavfi",
    "-i",
    video,
    "-f",
    "lavfi",
    "-i",
    "sine=frequency=440:sample_rate=48000",
  ];
  args.push(
    "-t",
    String(options.seconds ?? 120),
    "-c:v",
    "libx264",
    "-preset",
    "ultrafast",
    "-tune",
    "zerolatency",
  );
  args.push("-pix_fmt", "yuv420p", "-g", "25", "-c:a", "aac", "-b:a", "32k", "-ac", "1");
  args.push("-f", "rtsp", "-rtsp_transport", "tcp", url);
  return start(args);
}
