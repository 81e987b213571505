import type { DeepProbeRequest } from "./deep-probe-types.ts";
import { inputArgs } from "./input-args.ts";

/**
 * How long ffmpeg may analyse the input before it decides what the streams are, µs. ffmpeg's
 * default is 5 s (and 5 MB); a live stream delivers media in real time, so the default alone
 * costs seconds before the first frame. Half a second is enough for every codec parameter we
 * report; fps comes from the stream's own timing info (`fpsprobesize 0`) and is measured anyway.
 */
export const DEFAULT_ANALYZE_DURATION_US = 500_000;
export const DEFAULT_PROBE_SIZE_BYTES = 1_000_000;
/** One decoder thread: a probe uses at most about one core, so the concurrency cap is a CPU cap. */
export const DEFAULT_DECODER_THREADS = 1;

export interface DeepProbeArgsOptions {
  /** The URL ffmpeg opens (the request's, or its pinned form). */
  readonly inputUrl?: string;
  readonly httpProxyUrl?: string;
  readonly analyzeDurationUs?: number;
  readonly probeSizeBytes?: number;
  readonly decoderThreads?: number;
}

/** The socket timeout of a probe: well inside the hard timeout, so a dead read fails with a message. */
export function ioTimeoutMsFor(timeoutMs: number): number {
  return Math.max(500, Math.floor(timeoutMs / 2));
}

/** True for an HLS playlist URL (the only input ffmpeg's hls demuxer options apply to). */
export function isHlsUrl(url: string): boolean {
  return /^https?:\/\/[^?#]*\.m3u8(?:[?#]|$)/i.test(url);
}

/**
 * HLS: start enough segments back that the whole sample is already on the server (MediaMTX
 * keeps 7 one-second segments by default), so it is read at network speed instead of waiting
 * for new segments in real time; ffmpeg's default starts 3 segments back.
 */
export function hlsStartArgs(url: string, sampleSeconds: number): string[] {
  return isHlsUrl(url) ? ["-live_start_index", String(-(Math.ceil(sampleSeconds) + 1))] : [];
}

function videoFilters(request: DeepProbeRequest): string[] {
  const t = request.thresholds;
  const filters: string[] = [];
  if (request.checks.black)
    filters.push(`blackdetect=d=${t.blackMinSeconds}:pix_th=${t.blackPixelThreshold}`);
  if (request.checks.freeze) filters.push(`freezedetect=n=${t.freezeNoiseDb}dB:d=${t.freezeMinSeconds}`);
  return filters;
}

/**
 * The arguments of the one ffmpeg process of a deep probe: it opens the input (stream lines give
 * codec, size, declared fps, sample rate, channels), reads `sampleSeconds` of it (`-t` on the
 * input), decodes the first video and audio track through blackdetect + freezedetect and
 * silencedetect into the null muxer, and reports frames, media time and bytes demuxed
 * (`-loglevel verbose`). `-fps_mode passthrough` keeps the frame count honest (no duplicated or
 * dropped frames to fit a rate).
 */
export function deepProbeArgs(request: DeepProbeRequest, options: DeepProbeArgsOptions = {}): string[] {
  const {
    inputUrl = request.url,
    httpProxyUrl,
    analyzeDurationUs = DEFAULT_ANALYZE_DURATION_US,
    probeSizeBytes = DEFAULT_PROBE_SIZE_BYTES,
    decoderThreads = DEFAULT_DECODER_THREADS,
  } = options;
  const input = inputArgs(inputUrl, {
    userAgent: request.userAgent,
    ioTimeoutMs: ioTimeoutMsFor(request.timeoutMs),
    ...(httpProxyUrl === undefined ? {} : { httpProxyUrl }),
  });
  const args = ["-hide_banner", "-nostdin", "-nostats", "-loglevel", "verbose", ...input];
  args.push("-analyzeduration", String(analyzeDurationUs), "-probesize", String(probeSizeBytes));
  args.push(
    "-fpsprobesize",
    "0",
    "-threads",
    String(decoderThreads),
    ...hlsStartArgs(inputUrl, request.sampleSeconds),
  );
  args.push("-t", String(request.sampleSeconds), "-i", inputUrl, "-map", "0:v:0?", "-map", "0:a:0?");
  const vf = videoFilters(request);
  if (vf.length > 0) args.push("-vf", vf.join(","));
  const t = request.thresholds;
  if (request.checks.silence)
    args.push("-af", `silencedetect=n=${t.silenceNoiseDb}dB:d=${t.silenceMinSeconds}`);
  args.push("-fps_mode", "passthrough", "-f", "null", "-");
  return args;
}
