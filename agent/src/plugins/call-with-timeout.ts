import { MtxError } from "@mtx-fleet/plugin-api";

/**
 * Runs `fn` and settles within `timeoutMs`: with its result, with its error wrapped as
 * `MTX_PLUGIN_FAILED`, or with `MTX_PLUGIN_TIMEOUT`. A call that hangs is abandoned, not
 * killed (JavaScript cannot); the caller aborts the plugin's signal so it can wind down.
 */
export async function callWithTimeout<T>(
  what: string,
  timeoutMs: number,
  fn: () => T | Promise<T>,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new MtxError("MTX_PLUGIN_TIMEOUT", `${what} did not finish within ${timeoutMs} ms`, {
            details: { timeoutMs },
          }),
        ),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([Promise.resolve().then(fn), timeout]);
  } catch (error) {
    if (MtxError.is(error, "MTX_PLUGIN_TIMEOUT")) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new MtxError("MTX_PLUGIN_FAILED", `${what} threw: ${message}`, {
      cause: error,
      details: MtxError.is(error) ? { code: error.code } : {},
    });
  } finally {
    clearTimeout(timer);
  }
}
