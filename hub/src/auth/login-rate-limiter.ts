import { MtxError } from "@mtx-fleet/plugin-api";

export const DEFAULT_LOGIN_MAX_FAILURES = 5;
export const DEFAULT_LOGIN_WINDOW_MS = 15 * 60_000;
/** Keys kept at most; past it the expired go first, then the oldest. */
const MAX_KEYS = 10_000;

/** Options of `LoginRateLimiter`. */
export interface LoginRateLimiterOptions {
  /** Failed logins of one key within `windowMs` after which it must wait. */
  readonly maxFailures?: number;
  readonly windowMs?: number;
}

/**
 * Failed logins per key (username and client address): after `maxFailures` within `windowMs`
 * the key is refused with MTX_RATE_LIMITED until its oldest failure leaves the window, before
 * any password is checked. A success clears the key. Memory is bounded (at most 10,000 keys,
 * each with at most `maxFailures` times); it is per process, so each hub replica counts alone.
 */
export class LoginRateLimiter {
  readonly #maxFailures: number;
  readonly #windowMs: number;
  readonly #failures = new Map<string, number[]>();

  constructor(options: LoginRateLimiterOptions = {}) {
    this.#maxFailures = options.maxFailures ?? DEFAULT_LOGIN_MAX_FAILURES;
    this.#windowMs = options.windowMs ?? DEFAULT_LOGIN_WINDOW_MS;
  }

  /** Throws MTX_RATE_LIMITED when the key has used up its failures. */
  check(key: string, now: number): void {
    const recent = this.#recent(key, now);
    const oldest = recent[0];
    if (recent.length < this.#maxFailures || oldest === undefined) return;
    const retryAfterMs = oldest + this.#windowMs - now;
    throw new MtxError(
      "MTX_RATE_LIMITED",
      `too many failed logins for this user from this address: try again in ${Math.ceil(retryAfterMs / 1_000)} s`,
      { details: { retryAfterMs } },
    );
  }

  failed(key: string, now: number): void {
    const recent = [...this.#recent(key, now), now].slice(-this.#maxFailures);
    this.#failures.delete(key);
    this.#failures.set(key, recent);
    if (this.#failures.size > MAX_KEYS) this.#prune(now);
  }

  succeeded(key: string): void {
    this.#failures.delete(key);
  }

  #recent(key: string, now: number): number[] {
    return (this.#failures.get(key) ?? []).filter((at) => at > now - this.#windowMs);
  }

  #prune(now: number): void {
    for (const [key, times] of this.#failures) {
      if ((times.at(-1) ?? 0) <= now - this.#windowMs) this.#failures.delete(key);
    }
    for (const key of this.#failures.keys()) {
      if (this.#failures.size <= MAX_KEYS) break;
      this.#failures.delete(key);
    }
  }
}
