import { MtxError } from "@mtx-fleet/plugin-api";
import type { ProbeUrlPolicy } from "./check-probe-url.ts";
import { ioTimeoutMsFor, isHlsUrl } from "./deep-probe-args.ts";
import { failureMessage } from "./failure-message.ts";
import { inputArgs, toolEnv } from "./input-args.ts";
import { probeTarget } from "./probe-target.ts";
import { runProcessGroup } from "./run-process-group.ts";

export const DEFAULT_THUMBNAIL_MAX_WIDTH = 320;
export const DEFAULT_THUMBNAIL_TIMEOUT_MS = 5_000;
/** mjpeg `-q:v` (2 best … 31 worst): 5 keeps a 320 px picture around 10–20 KB. */
export const DEFAULT_THUMBNAIL_QUALITY = 5;
/** A 320 px JPEG is far smaller; more means something else came out, and the tree is killed. */
export const DEFAULT_THUMBNAIL_MAX_BYTES = 1024 * 1024;

export interface CaptureThumbnailOptions {
  readonly maxWidth?: number;
  readonly timeoutMs?: number;
  readonly userAgent: string;
  readonly signal?: AbortSignal;
  readonly quality?: number;
  readonly maxBytes?: number;
  /** As for deep probes: set it for URLs from outside (see `DeepProbeRequest.urlPolicy`). */
  readonly urlPolicy?: ProbeUrlPolicy;
  readonly ffmpegPath?: string;
  /** Called with the process group once ffmpeg runs (tests and diagnostics). */
  readonly onSpawn?: (pgid: number) => void;
}

/** ffmpeg arguments: the first key frame only (nothing else is decoded), scaled down, as one JPEG. */
export function thumbnailArgs(
  url: string,
  o: { maxWidth: number; quality: number; ioTimeoutMs: number; userAgent: string; httpProxyUrl?: string },
): string[] {
  const input = inputArgs(url, o);
  return [
    ...["-hide_banner", "-nostdin", "-nostats", "-loglevel", "error", ...input],
    ...["-analyzeduration", "500000", "-probesize", "1000000", "-fpsprobesize", "0"],
    // HLS: the newest segment, not ffmpeg's default of three back (a picture 3 s old).
    ...(isHlsUrl(url) ? ["-live_start_index", "-1"] : []),
    ...["-threads", "1", "-skip_frame", "nokey", "-i", url, "-map", "0:v:0", "-frames:v", "1"],
    ...["-vf", `scale=w='min(${o.maxWidth},iw)':h=-2`, "-pix_fmt", "yuvj420p", "-q:v", String(o.quality)],
    ...["-f", "image2pipe", "-c:v", "mjpeg", "pipe:1"],
  ];
}

function isJpeg(bytes: Buffer): boolean {
  return (
    bytes.length > 4 &&
    bytes[0] === 0xff &&
    bytes[1] === 0xd8 &&
    bytes.at(-2) === 0xff &&
    bytes.at(-1) === 0xd9
  );
}

/**
 * One small JPEG of the stream's current picture, with the deep probe's kill rules (own process
 * group, SIGKILL of the tree at the timeout or on abort). Rejects with `MTX_PROBE_TIMEOUT`,
 * `MTX_PROBE_FAILED` (no video, unreadable), `MTX_URL_FORBIDDEN` (policy) or the abort reason.
 */
export async function captureThumbnail(url: string, options: CaptureThumbnailOptions): Promise<Uint8Array> {
  const {
    maxWidth = DEFAULT_THUMBNAIL_MAX_WIDTH,
    timeoutMs = DEFAULT_THUMBNAIL_TIMEOUT_MS,
    quality = DEFAULT_THUMBNAIL_QUALITY,
    maxBytes = DEFAULT_THUMBNAIL_MAX_BYTES,
    signal,
  } = options;
  if (!Number.isInteger(maxWidth) || maxWidth < 16)
    throw new MtxError("MTX_INVALID_INPUT", "maxWidth must be an integer >= 16");
  signal?.throwIfAborted();
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  signal?.addEventListener("abort", onAbort, { once: true });
  const target = await probeTarget(url, options.urlPolicy, () => stop.abort());
  try {
    const args = thumbnailArgs(target.inputUrl, {
      maxWidth,
      quality,
      ioTimeoutMs: ioTimeoutMsFor(timeoutMs),
      userAgent: options.userAgent,
      ...(target.proxy === undefined ? {} : { httpProxyUrl: target.proxy.url }),
    });
    const run = await runProcessGroup(options.ffmpegPath ?? "ffmpeg", args, {
      timeoutMs,
      maxStdoutBytes: maxBytes,
      env: toolEnv(),
      signal: stop.signal,
      ...(options.onSpawn === undefined ? {} : { onSpawn: options.onSpawn }),
    });
    const refusal = target.proxy?.refusals[0];
    if (refusal !== undefined) throw refusal;
    switch (run.outcome) {
      case "aborted":
        throw signal?.reason ?? new MtxError("MTX_PROBE_FAILED", "thumbnail capture aborted");
      case "timeout":
        throw new MtxError("MTX_PROBE_TIMEOUT", `no thumbnail within ${timeoutMs} ms; ffmpeg was killed`);
      case "overflow":
        throw new MtxError("MTX_PROBE_FAILED", `thumbnail larger than ${maxBytes} bytes; ffmpeg was killed`);
      case "exited":
        if (run.exitCode === 0 && isJpeg(run.stdout)) return new Uint8Array(run.stdout);
        throw new MtxError("MTX_PROBE_FAILED", `no thumbnail: ${failureMessage(run.stderrTail)}`, {
          details: { stderr: run.stderrTail },
        });
      default:
        throw run.outcome satisfies never;
    }
  } finally {
    signal?.removeEventListener("abort", onAbort);
    await target.proxy?.close();
  }
}
