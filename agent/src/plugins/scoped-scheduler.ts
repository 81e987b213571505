import type { EveryOptions, ScheduledTask, Scheduler } from "@mtx-fleet/plugin-api";
import type { PluginScope } from "./plugin-scope.ts";

type Task = (signal: AbortSignal) => Promise<void> | void;

/**
 * A plugin's scheduler: timers live in the plugin's scope, a repeating task never overlaps
 * itself (the next delay starts when the run ends), and a throwing task is handed to `onError`.
 */
export function createScopedScheduler(
  scope: PluginScope,
  onError: (error: unknown) => void,
  random: () => number = Math.random,
): Scheduler {
  const schedule = (delayMs: number, run: () => void): NodeJS.Timeout => {
    const timer = setTimeout(run, Math.max(0, delayMs));
    return timer;
  };
  const runTask = async (task: Task): Promise<void> => {
    try {
      await task(scope.signal);
    } catch (error) {
      if (!scope.disposed) onError(error);
    }
  };
  return {
    every(intervalMs: number, task: Task, options: EveryOptions = {}): ScheduledTask {
      const { jitter = 0, immediate = false } = options;
      let timer: NodeJS.Timeout | undefined;
      let cancelled = false;
      const nextDelay = (): number => intervalMs * (1 + jitter * (random() * 2 - 1));
      const loop = async (): Promise<void> => {
        if (cancelled || scope.disposed) return;
        await runTask(task);
        if (!cancelled && !scope.disposed) timer = schedule(nextDelay(), () => void loop());
      };
      const stop = (): void => {
        cancelled = true;
        clearTimeout(timer);
      };
      const forget = scope.add(stop);
      timer = schedule(immediate ? 0 : nextDelay(), () => void loop());
      return {
        cancel: () => {
          stop();
          forget();
        },
      };
    },
    after(delayMs: number, task: Task): ScheduledTask {
      // Once the timer fired or was cancelled, the scope forgets it (graces and backoffs of a
      // long-running plugin would otherwise pile up until it stops).
      const timer = schedule(delayMs, () => {
        forget();
        void runTask(task);
      });
      const forget = scope.add(() => clearTimeout(timer));
      return {
        cancel: () => {
          clearTimeout(timer);
          forget();
        },
      };
    },
  };
}
