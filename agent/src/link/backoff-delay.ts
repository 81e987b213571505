import type { BackoffOptions } from "./link-client-options.ts";

export const DEFAULT_BACKOFF_BASE_MS = 500;
export const DEFAULT_BACKOFF_MAX_MS = 30_000;

/**
 * Delay before reconnect attempt `attempt` (0 for the first retry): "full jitter", a uniform
 * draw below an exponential ceiling capped at `maxMs`, so a fleet that lost its hub at the same
 * moment does not come back in lockstep.
 */
export function backoffDelayMs(attempt: number, options: BackoffOptions = {}): number {
  const { baseMs = DEFAULT_BACKOFF_BASE_MS, maxMs = DEFAULT_BACKOFF_MAX_MS, jitter = Math.random } = options;
  const ceilingMs = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.floor(jitter() * ceilingMs);
}
