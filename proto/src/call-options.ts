import type { CallOptions as GrpcCallOptions } from "@grpc/grpc-js";
import { Metadata } from "@grpc/grpc-js";

/** Per-call options of a client method. */
export interface CallOptions {
  /**
   * Deadline in ms from the start of the call; past it the call fails with DEADLINE_EXCEEDED.
   * Unary and client-streaming calls default to the client's `unaryTimeoutMs`; server and bidi
   * streams have no deadline unless given (a session stream lives for hours).
   */
  readonly timeoutMs?: number;
  /** Aborting cancels the call: a promise rejects, a response iterator just ends. */
  readonly signal?: AbortSignal;
  /** Request metadata (headers), e.g. `{ "x-request-id": id }`. Keys ending in `-bin` are not supported. */
  readonly metadata?: Readonly<Record<string, string>>;
}

/** The grpc-js form of `CallOptions`. */
export function toGrpcCallOptions(
  options: CallOptions,
  defaultTimeoutMs: number | undefined,
): { metadata: Metadata; callOptions: GrpcCallOptions } {
  const metadata = new Metadata();
  for (const [key, value] of Object.entries(options.metadata ?? {})) metadata.set(key, value);
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  return { metadata, callOptions: timeoutMs === undefined ? {} : { deadline: Date.now() + timeoutMs } };
}

/** Runs `cancel` when `signal` aborts (at once if it already has); returns the unsubscribe. */
export function cancelOnAbort(signal: AbortSignal | undefined, cancel: () => void): () => void {
  if (signal === undefined) return () => {};
  if (signal.aborted) {
    cancel();
    return () => {};
  }
  signal.addEventListener("abort", cancel, { once: true });
  return () => signal.removeEventListener("abort", cancel);
}
