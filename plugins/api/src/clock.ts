/** Time as the host sees it; tests can drive a plugin with a controlled clock. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** A monotonic reading in milliseconds, for durations. */
  monotonicMs(): number;
}
