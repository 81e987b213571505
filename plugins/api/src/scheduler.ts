/** Options of a repeating task. */
export interface EveryOptions {
  /** Random spread added to each delay, as a fraction of `intervalMs` (0–1). */
  readonly jitter?: number;
  /** Run once right away instead of after the first interval. */
  readonly immediate?: boolean;
}

/** A scheduled task; `cancel()` is idempotent. */
export interface ScheduledTask {
  cancel(): void;
}

/**
 * Timers owned by the host: everything a plugin schedules is cancelled when it stops, a task
 * never overlaps itself (the next run waits for the previous one), and a throwing task is logged
 * and counted as a plugin error instead of killing the daemon.
 */
export interface Scheduler {
  every(
    intervalMs: number,
    task: (signal: AbortSignal) => Promise<void> | void,
    options?: EveryOptions,
  ): ScheduledTask;
  after(delayMs: number, task: (signal: AbortSignal) => Promise<void> | void): ScheduledTask;
}
