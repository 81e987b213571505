import { MtxError } from "@mtx-fleet/plugin-api";

/** Deep probes that may run at once (each is one ffmpeg with one decoder thread, ~one core). */
export const DEFAULT_PROBE_MAX_CONCURRENT = 2;
/** Probes that may wait for a slot; a burst beyond it is refused with `MTX_PROBE_BUSY`. */
export const DEFAULT_PROBE_MAX_QUEUED = 256;

export interface ProbeLimiterOptions {
  readonly maxConcurrent?: number;
  readonly maxQueued?: number;
}

interface Waiter {
  readonly start: () => void;
}

/**
 * A concurrency cap with a bounded FIFO queue. `run(task)` starts the task when a slot is free,
 * else waits in line (abortable through `signal`); a full line refuses at once with
 * `MTX_PROBE_BUSY`. The slot is released however the task ends.
 */
export class ProbeLimiter {
  readonly maxConcurrent: number;
  readonly maxQueued: number;
  #active = 0;
  readonly #queue: Waiter[] = [];

  constructor(options: ProbeLimiterOptions = {}) {
    const { maxConcurrent = DEFAULT_PROBE_MAX_CONCURRENT, maxQueued = DEFAULT_PROBE_MAX_QUEUED } = options;
    if (!Number.isInteger(maxConcurrent) || maxConcurrent < 1) {
      throw new MtxError("MTX_INVALID_INPUT", "maxConcurrent must be an integer >= 1");
    }
    if (!Number.isInteger(maxQueued) || maxQueued < 0) {
      throw new MtxError("MTX_INVALID_INPUT", "maxQueued must be an integer >= 0");
    }
    this.maxConcurrent = maxConcurrent;
    this.maxQueued = maxQueued;
  }

  /** Tasks running now (never above `maxConcurrent`). */
  get active(): number {
    return this.#active;
  }

  /** Tasks waiting for a slot. */
  get queued(): number {
    return this.#queue.length;
  }

  /** Runs `task` in a slot; rejects with `MTX_PROBE_BUSY` when the line is full, or the abort reason. */
  async run<T>(task: () => Promise<T>, options: { signal?: AbortSignal } = {}): Promise<T> {
    await this.#acquire(options.signal);
    try {
      return await task();
    } finally {
      this.#release();
    }
  }

  #acquire(signal: AbortSignal | undefined): Promise<void> {
    signal?.throwIfAborted();
    if (this.#active < this.maxConcurrent) {
      this.#active++;
      return Promise.resolve();
    }
    if (this.#queue.length >= this.maxQueued) {
      throw new MtxError(
        "MTX_PROBE_BUSY",
        `all ${this.maxConcurrent} deep-probe slots are busy and ${this.#queue.length} probes wait`,
        {
          details: {
            active: this.#active,
            queued: this.#queue.length,
            maxConcurrent: this.maxConcurrent,
            maxQueued: this.maxQueued,
          },
        },
      );
    }
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        const at = this.#queue.indexOf(waiter);
        if (at >= 0) this.#queue.splice(at, 1);
        reject(signal?.reason);
      };
      const waiter: Waiter = {
        start: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#queue.push(waiter);
    });
  }

  #release(): void {
    const next = this.#queue.shift();
    // The slot passes straight to the next in line: `active` never dips and overshoots.
    if (next === undefined) this.#active--;
    else next.start();
  }
}
