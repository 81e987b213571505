/** How a worker is restarted after it exits (times in ms). */
export interface RestartPolicy {
  readonly baseMs: number;
  readonly maxMs: number;
  /** Fraction of each delay that is random (0 = none, 1 = "full jitter"). */
  readonly jitter: number;
  /** A run at least this long counts as stable: the next restart waits `baseMs` again. */
  readonly stableAfterMs: number;
}

/**
 * The delay before restart number `attempt` (0-based): base·2^attempt, capped at `maxMs`, jitter
 * only shortening it, so the cap holds and many workers that crashed together spread out. (The
 * agent's host has the same formula for plugins; plugins do not import the agent.)
 */
export function backoffDelay(
  attempt: number,
  policy: Pick<RestartPolicy, "baseMs" | "maxMs" | "jitter">,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, Math.min(attempt, 30)));
  return Math.round(ceiling * (1 - policy.jitter * random()));
}
