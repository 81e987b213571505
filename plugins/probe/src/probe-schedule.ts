/** How one kind of probe (deep probe, thumbnail) is paced per stream. */
export interface ProbeScheduleOptions {
  readonly intervalMs: number;
  /** Sooner next run while the last one found a problem (to see recovery). */
  readonly recheckIntervalMs: number;
  /** First run after a stream (re)appears. */
  readonly firstDelayMs: number;
  /** Suspicion brings the next run forward, but not closer than this to the previous one. */
  readonly minGapMs: number;
  /** Random spread added to each delay, as a share of it (0-1). */
  readonly jitter: number;
  readonly backoffBaseMs: number;
  readonly backoffMaxMs: number;
  readonly random?: () => number;
}

/** How a run ended, for pacing the next one. */
export type RunOutcome = "clean" | "problem" | "failed";

interface Entry {
  dueAt: number | null;
  failures: number;
  lastRunAt: number | null;
}

/**
 * When each stream is next due: at its first appearance (after `firstDelayMs`), then every
 * interval (or recheck interval while it has a problem), earlier on suspicion, and with
 * exponential backoff while runs fail, each delay spread by jitter so streams that appeared
 * together do not stay in lockstep. Pure bookkeeping: it starts nothing itself.
 */
export class ProbeSchedule {
  readonly #options: ProbeScheduleOptions;
  readonly #random: () => number;
  readonly #entries = new Map<string, Entry>();

  constructor(options: ProbeScheduleOptions) {
    this.#options = options;
    this.#random = options.random ?? Math.random;
  }

  /** A stream appeared or restarted: its earlier runs say nothing about it. */
  appeared(path: string, now: number): void {
    this.#entries.set(path, {
      dueAt: now + this.#spread(this.#options.firstDelayMs),
      failures: 0,
      lastRunAt: null,
    });
  }

  /**
   * Tier 1 suspects something: run soon, unless the last run was within `minGapMs`. Before the
   * first run it changes nothing: that run is due shortly anyway, and a stream that just
   * appeared often stutters while it settles.
   */
  suspect(path: string, now: number): void {
    const entry = this.#entries.get(path);
    if (entry === undefined || entry.lastRunAt === null) return;
    const at = Math.max(now, entry.lastRunAt + this.#options.minGapMs);
    if (entry.dueAt === null || at < entry.dueAt) entry.dueAt = at;
  }

  /** A run started now (scheduled or on demand): nothing else is due until it ends. */
  started(path: string, now: number): void {
    const entry = this.#entries.get(path) ?? { dueAt: null, failures: 0, lastRunAt: null };
    entry.lastRunAt = now;
    entry.dueAt = null;
    this.#entries.set(path, entry);
  }

  /** A run ended: plans the next one from how it went. */
  finished(path: string, outcome: RunOutcome, now: number): void {
    const entry = this.#entries.get(path);
    if (entry === undefined) return;
    const o = this.#options;
    entry.failures = outcome === "failed" ? entry.failures + 1 : 0;
    const delay =
      outcome === "failed"
        ? Math.min(o.backoffMaxMs, o.backoffBaseMs * 2 ** (entry.failures - 1))
        : outcome === "problem"
          ? o.recheckIntervalMs
          : o.intervalMs;
    entry.dueAt = now + this.#spread(delay);
  }

  /** Paths due at `now`, most overdue first. */
  due(now: number): string[] {
    return [...this.#entries]
      .filter(([, e]) => e.dueAt !== null && e.dueAt <= now)
      .sort(([, a], [, b]) => (a.dueAt ?? 0) - (b.dueAt ?? 0))
      .map(([path]) => path);
  }

  /** When `path` is next due (null: nothing planned), and how many runs failed in a row. */
  state(
    path: string,
  ):
    | { readonly dueAt: number | null; readonly failures: number; readonly lastRunAt: number | null }
    | undefined {
    const entry = this.#entries.get(path);
    return entry === undefined ? undefined : { ...entry };
  }

  forget(path: string): void {
    this.#entries.delete(path);
  }

  #spread(delayMs: number): number {
    return Math.round(delayMs * (1 + this.#options.jitter * this.#random()));
  }
}
