/** Exponential backoff with jitter, as used for plugin restarts and reconnects. */
export interface BackoffOptions {
  readonly baseMs?: number;
  readonly maxMs?: number;
  readonly factor?: number;
  /** Fraction of the delay that is random (0 = none, 1 = "full jitter"). */
  readonly jitter?: number;
  readonly random?: () => number;
}

export const DEFAULT_BACKOFF_BASE_MS = 1_000;
export const DEFAULT_BACKOFF_MAX_MS = 5 * 60_000;

/** The delay before retry number `attempt` (0-based): base·factor^attempt, capped, jittered down. */
export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  const {
    baseMs = DEFAULT_BACKOFF_BASE_MS,
    maxMs = DEFAULT_BACKOFF_MAX_MS,
    factor = 2,
    jitter = 0.5,
    random = Math.random,
  } = options;
  const ceiling = Math.min(maxMs, baseMs * factor ** Math.max(0, attempt));
  // Jitter only shortens the delay, so the cap holds and retries of many agents spread out.
  return Math.round(ceiling * (1 - jitter * random()));
}
