import type { Clock } from "@mtx-fleet/plugin-api";

/** The real clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  monotonicMs: () => performance.now(),
};
