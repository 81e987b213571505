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
      const cancel = (): void => {
        cancelled = true;
        clearTimeout(timer);
      };
      scope.add(cancel);
      timer = schedule(immediate ? 0 : nextDelay(), () => void loop());
      return { cancel };
    },
    after(delayMs: number, task: Task): ScheduledTask {
      const timer = schedule(delayMs, () => void runTask(task));
      const cancel = (): void => clearTimeout(timer);
      scope.add(cancel);
      return { cancel };
    },
  };
}
