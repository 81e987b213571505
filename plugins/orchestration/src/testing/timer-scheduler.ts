import type { Scheduler } from "@mtx-fleet/plugin-api";

/**
 * `Scheduler.after` on plain timers, for driving a supervisor outside the plugin host; `cancelAll`
 * is what the host does when a plugin stops.
 */
export function createTimerScheduler(): Pick<Scheduler, "after"> & { cancelAll(): void } {
  const timers = new Set<NodeJS.Timeout>();
  return {
    after(delayMs, task) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        void task(new AbortController().signal);
      }, delayMs);
      timers.add(timer);
      return {
        cancel: () => {
          clearTimeout(timer);
          timers.delete(timer);
        },
      };
    },
    cancelAll() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
