/** A counter that grows at a rate while running; cheap to read at any time (scale mode). */
export class ByteCounter {
  #base = 0;
  #since: number | undefined;
  #ratePerSec: number;

  constructor(ratePerSec: number, nowMs?: number) {
    this.#ratePerSec = ratePerSec;
    this.#since = nowMs;
  }

  value(nowMs: number): number {
    if (this.#since === undefined) return Math.floor(this.#base);
    return Math.floor(this.#base + ((nowMs - this.#since) / 1000) * this.#ratePerSec);
  }

  /** Stops growth, keeping the value (a stalled stream). */
  freeze(nowMs: number): void {
    this.#base = this.value(nowMs);
    this.#since = undefined;
  }

  resume(nowMs: number, ratePerSec = this.#ratePerSec): void {
    this.#base = this.value(nowMs);
    this.#ratePerSec = ratePerSec;
    this.#since = nowMs;
  }

  get running(): boolean {
    return this.#since !== undefined;
  }
}
