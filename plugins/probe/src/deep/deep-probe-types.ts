/**
 * The contract between the probe plugin (scheduling, verdicts) and the deep-probe engine
 * (ffprobe/ffmpeg). The engine measures; it never judges: verdicts are the plugin's job.
 *
 * Additions by the engine (all optional, so callers written against the first version still
 * compile): `DeepProbeRequest.urlPolicy`.
 */
import type { ProbeUrlPolicy } from "./check-probe-url.ts";

/** What a deep probe should look at, and how hard. */
export interface DeepProbeRequest {
  /** What to read: the local MediaMTX (rtsp://, rtmp://, http(s)://…m3u8, srt://) or a checked URL. */
  readonly url: string;
  /** How long to sample media for the filters (black, freeze, silence, fps). */
  readonly sampleSeconds: number;
  /** Hard limit for the whole probe; the process tree is killed (SIGKILL to its group) after it. */
  readonly timeoutMs: number;
  /** Which filters to run on the sampled media. */
  readonly checks: {
    readonly black: boolean;
    readonly freeze: boolean;
    readonly silence: boolean;
  };
  /** Filter thresholds (ffmpeg's own units). */
  readonly thresholds: {
    /** blackdetect `d`: shortest black run that counts, seconds. */
    readonly blackMinSeconds: number;
    /** blackdetect `pix_th` (0–1). */
    readonly blackPixelThreshold: number;
    /** freezedetect `d`, seconds. */
    readonly freezeMinSeconds: number;
    /** freezedetect `n` noise, in dB (e.g. -60). */
    readonly freezeNoiseDb: number;
    /** silencedetect `d`, seconds. */
    readonly silenceMinSeconds: number;
    /** silencedetect `n`, in dB (e.g. -50). */
    readonly silenceNoiseDb: number;
  };
  /** User agent sent where the protocol has one (HLS, RTSP), so the node can tell probe reads. */
  readonly userAgent: string;
  readonly signal?: AbortSignal;
  /**
   * Set it for a URL from outside (probe any URL); leave it unset for the local MediaMTX. The
   * engine then checks the URL (`checkProbeUrl`: scheme allow-list, no loopback/private/link-local
   * address unless allowed) and connects only to the checked address: the IP is put into the URL
   * for RTSP/RTMP/SRT, and HTTP(S)/HLS goes through a loopback proxy that checks every hop
   * (redirects, segments). A refusal rejects with `MtxError("MTX_URL_FORBIDDEN")`, details.reason
   * `scheme` | `host` | `address` | `redirect`.
   */
  readonly urlPolicy?: ProbeUrlPolicy;
}

/** One measured run of a filter (seconds from the start of the sample). */
export interface DetectedSpan {
  readonly startSeconds: number;
  /** null when the span was still open at the end of the sample. */
  readonly endSeconds: number | null;
  readonly durationSeconds: number;
}

/** What the engine measured. Absent media is `null`, never 0. */
export interface DeepProbeMeasurement {
  /** Time from spawning the reader to its first decoded video (or audio) frame, ms. */
  readonly startupMs: number;
  /** Wall time of the whole probe, ms. */
  readonly elapsedMs: number;
  /** CPU time (user + system) the probe's processes used, ms. */
  readonly cpuMs: number;
  readonly video: {
    readonly codec: string;
    readonly width: number | null;
    readonly height: number | null;
    /** What the stream declares (r_frame_rate / avg_frame_rate). */
    readonly declaredFps: number | null;
    /** Frames actually decoded per second over the sample. */
    readonly measuredFps: number | null;
  } | null;
  readonly audio: {
    readonly codec: string;
    readonly sampleRate: number | null;
    readonly channels: number | null;
  } | null;
  /** Bits per second over the sample (all tracks), null when unknown. */
  readonly bitrateBps: number | null;
  /** Total sampled duration, seconds. */
  readonly sampledSeconds: number;
  readonly black: readonly DetectedSpan[];
  readonly frozen: readonly DetectedSpan[];
  readonly silent: readonly DetectedSpan[];
}

/** The outcome of one deep probe. */
export type DeepProbeResult =
  | { readonly kind: "measured"; readonly measurement: DeepProbeMeasurement }
  /** ffprobe/ffmpeg could not read the stream (refused, 404, no media); `stderr` is the tail. */
  | { readonly kind: "failed"; readonly message: string; readonly stderr: string; readonly elapsedMs: number }
  /** The hard timeout hit; every process of the probe was killed. */
  | { readonly kind: "timeout"; readonly elapsedMs: number }
  /** The signal aborted it (plugin stopped); processes were killed. */
  | { readonly kind: "aborted"; readonly elapsedMs: number };
