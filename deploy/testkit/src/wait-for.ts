import { setTimeout as sleep } from "node:timers/promises";

export const DEFAULT_WAIT_FOR_TIMEOUT_MS = 15_000;

/**
 * Reads `read()` every `everyMs` until `ok` accepts the value, and returns it; after
 * `timeoutMs` it throws with the last value, so a failing test says what it saw.
 */
export async function waitFor<T>(
  read: () => Promise<T>,
  ok: (value: T) => boolean,
  timeoutMs = DEFAULT_WAIT_FOR_TIMEOUT_MS,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await sleep(everyMs);
  }
}
