import type { Logger } from "@mtx-fleet/plugin-api";

export const DEFAULT_STOP_STEP_TIMEOUT_MS = 5_000;

/**
 * Shutdown as data: each started component registers how to stop it; `run()` stops them in
 * reverse start order, each within its own timeout, and never throws (a stuck or failing step
 * is logged and skipped so the rest still stop).
 */
export class StopSteps {
  readonly #steps: Array<{ name: string; stop: () => Promise<void> | void; timeoutMs: number }> = [];
  readonly #logger: Logger;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  add(name: string, stop: () => Promise<void> | void, timeoutMs = DEFAULT_STOP_STEP_TIMEOUT_MS): void {
    this.#steps.push({ name, stop, timeoutMs });
  }

  async run(): Promise<void> {
    for (const step of this.#steps.splice(0).reverse()) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<"timeout">((resolve) => {
        timer = setTimeout(() => resolve("timeout"), step.timeoutMs);
      });
      try {
        if ((await Promise.race([Promise.resolve().then(step.stop), timeout])) === "timeout") {
          this.#logger.warn(
            { step: step.name, timeoutMs: step.timeoutMs },
            "shutdown step timed out; continuing",
          );
        }
      } catch (error) {
        this.#logger.error({ step: step.name, err: error }, "shutdown step failed; continuing");
      } finally {
        clearTimeout(timer);
      }
    }
  }
}
