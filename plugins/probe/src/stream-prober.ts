import { MtxError } from "@mtx-fleet/plugin-api";
import type { DeepProbeResult } from "./deep/deep-probe-types.ts";
import type { OwnReads } from "./own-reads.ts";
import type { ProbeConfig, ProbeThresholds } from "./probe-config.ts";
import type { ProbeEngine, ProbeSlots, ThumbnailOutcome } from "./probe-engine.ts";
import { readUrlFor } from "./read-url-for.ts";

/** One deep probe of a stream, timed. */
export interface ProbeRun {
  readonly result: DeepProbeResult;
  readonly startedAt: number;
  readonly endedAt: number;
}

/** One thumbnail attempt, timed. */
export type ThumbnailRun = ThumbnailOutcome & { readonly takenAt: number };

export interface StreamProberOptions {
  readonly engine: ProbeEngine;
  readonly slots: ProbeSlots;
  readonly config: Pick<ProbeConfig, "readUrl" | "deep" | "thumbnails">;
  readonly userAgent: string;
  readonly ownReads: OwnReads;
  readonly now: () => number;
  /** The plugin's signal: every probe stops when the plugin does. */
  readonly signal: AbortSignal;
}

/** Whether a run may wait in the slots' queue (on demand) or only take a free slot (scheduled). */
export interface RunOptions {
  readonly queue: boolean;
  readonly signal?: AbortSignal;
}

/**
 * Runs deep probes and thumbnails of local streams through the shared slots: one run per
 * stream and kind at a time (a second request joins the running one), each read counted as
 * the probe's own reader while it is open. Scheduled runs never queue, so the queue stays free
 * for on-demand requests (which get MTX_PROBE_BUSY only when it is full).
 */
export class StreamProber {
  readonly #o: StreamProberOptions;
  readonly #probes = new Map<string, Promise<ProbeRun>>();
  readonly #thumbnails = new Map<string, Promise<ThumbnailRun>>();

  constructor(options: StreamProberOptions) {
    this.#o = options;
  }

  /** A scheduled run may start now without waiting. */
  hasFreeSlot(): boolean {
    return this.#o.slots.queued === 0 && this.#o.slots.active < this.#o.config.deep.maxConcurrent;
  }

  isProbing(path: string): boolean {
    return this.#probes.has(path);
  }

  isTakingThumbnail(path: string): boolean {
    return this.#thumbnails.has(path);
  }

  deepProbe(path: string, thresholds: ProbeThresholds, options: RunOptions): Promise<ProbeRun> {
    return this.#once(this.#probes, path, options, async (signal) => {
      const startedAt = this.#o.now();
      const deep = this.#o.config.deep;
      const result = await this.#o.engine.deepProbe({
        url: readUrlFor(this.#o.config.readUrl, path),
        sampleSeconds: deep.sampleSeconds,
        timeoutMs: deep.timeoutMs,
        checks: { black: true, freeze: true, silence: true },
        thresholds: {
          blackMinSeconds: thresholds.blackMinSeconds,
          blackPixelThreshold: thresholds.blackPixelThreshold,
          freezeMinSeconds: thresholds.freezeMinSeconds,
          freezeNoiseDb: thresholds.freezeNoiseDb,
          silenceMinSeconds: thresholds.silenceMinSeconds,
          silenceNoiseDb: thresholds.silenceNoiseDb,
        },
        userAgent: this.#o.userAgent,
        signal,
      });
      return { result, startedAt, endedAt: this.#o.now() };
    });
  }

  thumbnail(path: string, options: RunOptions): Promise<ThumbnailRun> {
    return this.#once(this.#thumbnails, path, options, async (signal) => {
      const t = this.#o.config.thumbnails;
      const outcome = await this.#o.engine.thumbnail({
        url: readUrlFor(this.#o.config.readUrl, path),
        maxWidth: t.maxWidth,
        timeoutMs: t.timeoutMs,
        userAgent: this.#o.userAgent,
        signal,
      });
      return { ...outcome, takenAt: this.#o.now() };
    });
  }

  #once<T>(
    running: Map<string, Promise<T>>,
    path: string,
    options: RunOptions,
    read: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    const current = running.get(path);
    if (current !== undefined) return current;
    if (!options.queue && !this.hasFreeSlot()) {
      return Promise.reject(
        new MtxError("MTX_PROBE_BUSY", "no free probe slot for a scheduled run", { details: { path } }),
      );
    }
    const signal =
      options.signal === undefined ? this.#o.signal : AbortSignal.any([this.#o.signal, options.signal]);
    const run = this.#o.slots
      .run(
        async () => {
          const end = this.#o.ownReads.begin(path);
          try {
            return await read(signal);
          } finally {
            end();
          }
        },
        { signal },
      )
      .finally(() => running.delete(path));
    running.set(path, run);
    return run;
  }
}
