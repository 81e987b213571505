import type { DescService, MessageInitShape, MessageShape } from "@bufbuild/protobuf";
import type { Metadata } from "@grpc/grpc-js";
import type { MethodShape } from "./method-shape.ts";

/** What a handler knows about the call it serves. */
export interface ServerCallContext {
  /** gRPC path of the call, e.g. `/mtx.v1.AgentLink/Session`, for logs. */
  readonly method: string;
  /**
   * Aborted when the client cancels, its deadline passes or the connection drops. Long work in a
   * handler must watch it; the request stream of a streaming call also just ends then.
   */
  readonly signal: AbortSignal;
  /** Request metadata (headers) sent by the client. */
  readonly metadata: Metadata;
  /** Address of the client, e.g. `127.0.0.1:51234`. */
  readonly peer: string;
}

/**
 * The handler of one RPC, typed from its descriptor. Responses may be messages or plain init
 * objects (`{ text: "hi" }`). Throw an MtxError to fail the call with that code.
 * - unary: request in, one response out.
 * - server_streaming: request in, yield responses (an `async function*`); return to end.
 * - client_streaming: iterate the requests (they end when the client ends), return one response.
 * - bidi_streaming: iterate the requests, yield responses; return to end the call with OK.
 */
export type MethodImpl<M> =
  M extends MethodShape<"unary", infer I, infer O>
    ? (request: MessageShape<I>, ctx: ServerCallContext) => Promise<MessageInitShape<O>> | MessageInitShape<O>
    : M extends MethodShape<"server_streaming", infer I, infer O>
      ? (request: MessageShape<I>, ctx: ServerCallContext) => AsyncIterable<MessageInitShape<O>>
      : M extends MethodShape<"client_streaming", infer I, infer O>
        ? (
            requests: AsyncIterable<MessageShape<I>>,
            ctx: ServerCallContext,
          ) => Promise<MessageInitShape<O>> | MessageInitShape<O>
        : M extends MethodShape<"bidi_streaming", infer I, infer O>
          ? (
              requests: AsyncIterable<MessageShape<I>>,
              ctx: ServerCallContext,
            ) => AsyncIterable<MessageInitShape<O>>
          : never;

/** An implementation of every RPC of a generated service, keyed by the RPC's `localName`. */
export type ServiceImpl<S extends DescService> = {
  readonly [K in keyof S["method"]]: MethodImpl<S["method"][K]>;
};
