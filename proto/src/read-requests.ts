import type { Readable } from "node:stream";

/**
 * The requests of a client- or bidi-streaming server call as an async iterable. It ends when the
 * client half-closes, and also (instead of throwing) when the client cancels or the deadline
 * passes: the handler then sees `ctx.signal` aborted. Breaking out of the loop leaves the call
 * open so the handler can still answer.
 */
export async function* readRequests<T>(call: Readable & { readonly cancelled: boolean }): AsyncGenerator<T> {
  try {
    for await (const request of call.iterator({ destroyOnReturn: false })) yield request as T;
  } catch (error) {
    // grpc-js destroys the stream on cancel, which Node reports as a premature close.
    if (call.cancelled) return;
    throw error;
  }
}
