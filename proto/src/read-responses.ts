import type { Readable } from "node:stream";
import type { MtxError } from "@mtx-fleet/plugin-api";

/** Whether the caller cancelled a call, and how to cancel it. */
export interface LocalCancel {
  readonly cancelled: boolean;
  cancel(): void;
}

/**
 * The responses of a server- or bidi-streaming client call. Ends when the server ends with OK,
 * or quietly when the caller cancelled; any other failure is thrown as `toMtxError` makes it. A consumer
 * that stops early (break, throw) cancels the call, since nobody will read the rest.
 */
export async function* readResponses<T>(
  call: Readable,
  local: LocalCancel,
  toMtxError: (error: unknown) => MtxError,
): AsyncGenerator<T> {
  let finished = false;
  try {
    for await (const response of call.iterator({ destroyOnReturn: false })) yield response as T;
    finished = true;
  } catch (error) {
    finished = true;
    if (local.cancelled) return;
    throw toMtxError(error);
  } finally {
    if (!finished) local.cancel();
  }
}
