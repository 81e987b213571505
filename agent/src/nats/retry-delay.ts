/** Bounds of a retry backoff, in ms. */
export interface RetryDelayOptions {
  readonly minDelayMs: number;
  readonly maxDelayMs: number;
}

/**
 * Exponential backoff with full jitter for the `attempt`-th consecutive failure (1-based):
 * uniform in [min, min(max, min · 2^(attempt-1))], so many agents coming back after one NATS
 * outage do not retry in lock-step.
 */
export function retryDelayMs(attempt: number, { minDelayMs, maxDelayMs }: RetryDelayOptions): number {
  const ceiling = Math.min(maxDelayMs, minDelayMs * 2 ** Math.min(Math.max(attempt - 1, 0), 30));
  return minDelayMs + Math.random() * (ceiling - minDelayMs);
}

/**
 * Waits `ms`, or less when `wake` resolves (e.g. on reconnect) or `signal` aborts; never rejects.
 */
export function pause(ms: number, signal: AbortSignal, wake?: Promise<void>): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
    wake?.then(done, done);
  });
}
