import type { DeepProbeRequest, DeepProbeResult } from "./deep/deep-probe-types.ts";

/** A thumbnail to take: one decoded frame, scaled down, as JPEG. */
export interface ThumbnailRequest {
  readonly url: string;
  readonly maxWidth: number;
  readonly timeoutMs: number;
  readonly userAgent: string;
  readonly signal?: AbortSignal;
}

/** What taking a thumbnail gave. */
export type ThumbnailOutcome =
  | { readonly kind: "captured"; readonly jpeg: Uint8Array }
  | { readonly kind: "failed"; readonly message: string }
  | { readonly kind: "timeout" }
  | { readonly kind: "aborted" };

/** A cap on concurrent probe processes with a bounded queue (the engine's `ProbeLimiter`). */
export interface ProbeSlots {
  /**
   * Runs `task` when a slot is free; rejects with MTX_PROBE_BUSY at once when every slot is
   * taken and the queue is full, and with the abort reason when `signal` aborts while waiting.
   */
  run<T>(task: () => Promise<T>, options?: { readonly signal?: AbortSignal }): Promise<T>;
  readonly active: number;
  readonly queued: number;
}

/**
 * The deep-probe engine as the plugin uses it (ffprobe/ffmpeg, see `deep/`). Injected, so the
 * scheduling and verdict logic is independent of how probes are run.
 */
export interface ProbeEngine {
  /** With `request.urlPolicy` set (probe any URL) it rejects with MTX_URL_FORBIDDEN on a refusal. */
  deepProbe(request: DeepProbeRequest): Promise<DeepProbeResult>;
  thumbnail(request: ThumbnailRequest): Promise<ThumbnailOutcome>;
  slots(options: { readonly maxConcurrent: number; readonly maxQueued: number }): ProbeSlots;
}
