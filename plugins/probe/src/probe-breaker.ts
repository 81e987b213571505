/** Failed scheduled runs in a row (across streams) that open the breaker. */
export const BREAKER_FAILURES = 5;

/**
 * A circuit breaker over all scheduled reads. When every probe fails — `readUrl` points at a
 * port MediaMTX does not serve, its RTSP server is off, read auth refuses us — each stream's
 * own backoff still lets a node with a thousand streams spawn a thousand failing ffmpegs. After
 * `BREAKER_FAILURES` failures in a row the breaker opens: scheduled runs pause for a backoff
 * (doubling while it keeps tripping), then one run tries again. Any success closes it. On-demand
 * runs always go through (and close it when they succeed).
 */
export class ProbeBreaker {
  readonly #baseMs: number;
  readonly #maxMs: number;
  #failures = 0;
  #trips = 0;
  #openUntil = 0;
  #lastError: string | null = null;

  constructor(options: { readonly backoffBaseMs: number; readonly backoffMaxMs: number }) {
    this.#baseMs = options.backoffBaseMs;
    this.#maxMs = options.backoffMaxMs;
  }

  /** Whether a scheduled run may start at `now`. */
  allows(now: number): boolean {
    return now >= this.#openUntil;
  }

  succeeded(): void {
    this.#failures = 0;
    this.#trips = 0;
    this.#openUntil = 0;
    this.#lastError = null;
  }

  failed(now: number, message: string): void {
    this.#failures += 1;
    this.#lastError = message;
    if (this.#failures < BREAKER_FAILURES && this.#trips === 0) return;
    // Open (again): after a trip, a single failed trial re-opens it for longer.
    this.#openUntil = now + Math.min(this.#maxMs, this.#baseMs * 2 ** this.#trips);
    this.#trips += 1;
  }

  /** Non-null while open: why scheduled probes pause, for the plugin's health. */
  openReason(now: number): string | null {
    if (this.allows(now)) return null;
    return `every deep probe failed lately (last: ${this.#lastError ?? "unknown"}); scheduled probes pause until ${new Date(this.#openUntil).toISOString()} — check readUrl`;
  }
}
