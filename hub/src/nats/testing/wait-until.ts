import { setTimeout as sleep } from "node:timers/promises";

/** Polls `check` until it is true, or throws with `what` after `timeoutMs`. */
export async function waitUntil(what: string, check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(20);
  }
}
