import { describe, expect, it } from "vitest";
import { FfmpegLogParser } from "./ffmpeg-log-parser.ts";

/** Lines as ffmpeg 5.1 printed them for the simulator's `black` scenario (trimmed to what matters). */
const BLACK_RUN = `Input #0, hls, from 'http://127.0.0.1:37049/t/black/index.m3u8':
  Duration: N/A, start: 9.421333, bitrate: N/A
  Program 0
    Metadata:
      variant_bitrate : 0
  Stream #0:0: Video: h264 (Constrained Baseline), 1 reference frame ([27][0][0][0] / 0x001B), yuv420p(left), 640x360 (640x368) [SAR 1:1 DAR 16:9], 25 fps, 25 tbr, 90k tbn
  Stream #0:1: Audio: aac (LC) ([15][0][0][0] / 0x000F), 48000 Hz, mono, fltp
Stream mapping:
  Stream #0:0 -> #0:0 (h264 (native) -> wrapped_avframe (native))
  Stream #0:1 -> #0:1 (aac (native) -> pcm_s16le (native))
Output #0, null, to 'pipe:':
  Stream #0:0: Video: wrapped_avframe, 1 reference frame, yuv420p(progressive, left), 1280x720, q=2-31, 200 kb/s, 50 fps, 25 tbn
  Stream #0:1: Audio: pcm_s16le, 44100 Hz, stereo, s16, 768 kb/s
[freezedetect @ 0x564ff332ca80] lavfi.freezedetect.freeze_start: 0
[silencedetect @ 0x558d1c007440] silence_start: 0.5
[silencedetect @ 0x558d1c007440] silence_end: 1.25 | silence_duration: 0.75
[silencedetect @ 0x558d1c007440] silence_start: 2
No more output streams to write to, finishing.
frame=   75 fps= 72 q=-0.0 Lsize=N/A time=00:00:03.00 bitrate=N/A speed=2.89x
video:35kB audio:281kB subtitle:0kB other streams:0kB global headers:0kB muxing overhead: unknown
Input file #0 (http://127.0.0.1:37049/t/black/index.m3u8):
  Input stream #0:0 (video): 82 packets read (5386 bytes); 81 frames decoded;
  Input stream #0:1 (audio): 142 packets read (25351 bytes); 142 frames decoded (145408 samples);
  Total: 224 packets (30737 bytes) demuxed
Output file #0 (pipe:):
  Total: 216 packets (323400 bytes) muxed
[blackdetect @ 0x564ff33aa980] black_start:0 black_end:2.96 black_duration:2.96
[silencedetect @ 0x558d1c007440] silence_end: 3 | silence_duration: 1`;

function parse(text: string): FfmpegLogParser {
  const parser = new FfmpegLogParser();
  text.split("\n").forEach((line, i) => {
    parser.push(line, i * 10);
  });
  return parser;
}

describe("FfmpegLogParser", () => {
  it("reads the input's streams (not the output's), the sample and every detected span", () => {
    expect(parse(BLACK_RUN).facts()).toEqual({
      video: { codec: "h264", width: 640, height: 360, declaredFps: 25 },
      audio: { codec: "aac", sampleRate: 48000, channels: 1 },
      firstFrameAtMs: 100,
      frames: 75,
      sampledSeconds: 3,
      demuxedBytes: 30737,
      finished: true,
      redirectedTo: null,
      // Printed while closing: still black / silent / frozen at the end of the sample.
      black: [{ startSeconds: 0, endSeconds: null, durationSeconds: 3 }],
      frozen: [{ startSeconds: 0, endSeconds: null, durationSeconds: 3 }],
      silent: [
        { startSeconds: 0.5, endSeconds: 1.25, durationSeconds: 0.75 },
        { startSeconds: 2, endSeconds: null, durationSeconds: 1 },
      ],
    });
  });

  it("closes spans that ended within the sample", () => {
    const facts = parse(`[blackdetect @ 0x1] black_start:0.4 black_end:1.4 black_duration:1
[freezedetect @ 0x2] lavfi.freezedetect.freeze_start: 0.2
[freezedetect @ 0x2] lavfi.freezedetect.freeze_duration: 1.8
[freezedetect @ 0x2] lavfi.freezedetect.freeze_end: 2
frame=   50 fps=0.0 q=-0.0 Lsize=N/A time=00:00:02.00 bitrate=N/A speed=20x
video:23kB audio:0kB subtitle:0kB other streams:0kB global headers:0kB muxing overhead: unknown`).facts();
    expect({ black: facts.black, frozen: facts.frozen }).toEqual({
      black: [{ startSeconds: 0.4, endSeconds: 1.4, durationSeconds: 1 }],
      frozen: [{ startSeconds: 0.2, endSeconds: 2, durationSeconds: 1.8 }],
    });
  });

  it("reads stream lines with ids, languages, stereo and 5.1 layouts, and fps from tbr", () => {
    const facts = parse(`Input #0, rtsp, from 'rtsp://cam/x':
  Stream #0:0[0x100](eng): Video: hevc (Main), yuv420p(tv), 1920x1080, 90k tbr, 90k tbn
  Stream #0:1(eng): Audio: opus, 48000 Hz, 5.1(side), fltp
Stream mapping:`).facts();
    expect({ video: facts.video, audio: facts.audio, finished: facts.finished }).toEqual({
      video: { codec: "hevc", width: 1920, height: 1080, declaredFps: 90000 },
      audio: { codec: "opus", sampleRate: 48000, channels: 6 },
      finished: false,
    });
  });

  it("notices an RTSP redirect", () => {
    const parser = parse("[rtsp @ 0x1] Status 302: Redirecting to rtsp://10.0.0.1/x");
    expect(parser.redirectedTo).toBe("rtsp://10.0.0.1/x");
  });

  it("reports no video when there is none, and no frames without a frame counter", () => {
    const facts = parse(`Input #0, flv, from 'rtmp://x':
  Stream #0:0: Audio: aac (LC), 44100 Hz, stereo, fltp, 128 kb/s
Output #0, null, to 'pipe:':
size=N/A time=00:00:01.50 bitrate=N/A speed=1x
video:0kB audio:258kB subtitle:0kB other streams:0kB global headers:0kB muxing overhead: unknown`).facts();
    expect({
      video: facts.video,
      audio: facts.audio,
      frames: facts.frames,
      sampled: facts.sampledSeconds,
    }).toEqual({
      video: null,
      audio: { codec: "aac", sampleRate: 44100, channels: 2 },
      frames: null,
      sampled: 1.5,
    });
  });
});
