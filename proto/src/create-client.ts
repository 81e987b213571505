import type {
  DescMessage,
  DescMethod,
  DescService,
  MessageInitShape,
  MessageShape,
} from "@bufbuild/protobuf";
import type { ChannelCredentials, ChannelOptions } from "@grpc/grpc-js";
import { Client } from "@grpc/grpc-js";
import { callClientStream } from "./call-client-stream.ts";
import type { CallOptions } from "./call-options.ts";
import { callServerStream } from "./call-server-stream.ts";
import { callUnary } from "./call-unary.ts";
import type { MethodShape } from "./method-shape.ts";
import type { BidiStream } from "./open-bidi-stream.ts";
import { openBidiStream } from "./open-bidi-stream.ts";
import { toGrpcMethodDefinition } from "./to-grpc-service-definition.ts";

/** Deadline of unary and client-streaming calls that do not set `timeoutMs`. */
export const DEFAULT_UNARY_TIMEOUT_MS = 30_000;

/** Options of `createClient`. */
export interface CreateClientOptions {
  /**
   * grpc-js channel options, passed through as they are: keepalive (`grpc.keepalive_time_ms`,
   * `grpc.keepalive_timeout_ms`, `grpc.keepalive_permit_without_calls`), message size limits,
   * reconnect backoff (`grpc.initial_reconnect_backoff_ms`, `grpc.max_reconnect_backoff_ms`).
   */
  readonly channelOptions?: ChannelOptions;
  /** Deadline of unary and client-streaming calls without their own `timeoutMs`. */
  readonly unaryTimeoutMs?: number;
}

/** The client-side function of one RPC, typed from its descriptor. */
export type ClientMethod<M> =
  M extends MethodShape<"unary", infer I, infer O>
    ? (request: MessageInitShape<I>, options?: CallOptions) => Promise<MessageShape<O>>
    : M extends MethodShape<"server_streaming", infer I, infer O>
      ? (request: MessageInitShape<I>, options?: CallOptions) => AsyncIterable<MessageShape<O>>
      : M extends MethodShape<"client_streaming", infer I, infer O>
        ? (requests: AsyncIterable<MessageInitShape<I>>, options?: CallOptions) => Promise<MessageShape<O>>
        : M extends MethodShape<"bidi_streaming", infer I, infer O>
          ? (options?: CallOptions) => BidiStream<I, O>
          : never;

/**
 * A typed client of a generated service: one method per RPC, keyed by its `localName`.
 * `client[Symbol.dispose]()` (or `using`) closes the channel.
 */
export type ServiceClient<S extends DescService> = {
  readonly [K in keyof S["method"]]: ClientMethod<S["method"][K]>;
} & Disposable;

/**
 * Creates a typed gRPC client for a generated protobuf-es service. Every failure is an
 * MtxError: the server's own error when it sent one, else `MTX_GRPC_CALL_FAILED` with
 * `details.grpcCode`. The channel connects lazily and reconnects by itself.
 * @example
 * using client = createClient(EchoService, "127.0.0.1:50051", credentials.createInsecure());
 * const { text } = await client.echo({ text: "hi" }, { timeoutMs: 2_000 });
 */
export function createClient<S extends DescService>(
  desc: S,
  address: string,
  credentials: ChannelCredentials,
  options: CreateClientOptions = {},
): ServiceClient<S> {
  const { channelOptions = {}, unaryTimeoutMs = DEFAULT_UNARY_TIMEOUT_MS } = options;
  const client = new Client(address, credentials, channelOptions);
  const methods: Record<string, unknown> = {};
  for (const method of desc.methods) methods[method.localName] = bindMethod(client, method, unaryTimeoutMs);
  return { ...methods, [Symbol.dispose]: () => client.close() } as ServiceClient<S>;
}

type Init = MessageInitShape<DescMessage>;

function bindMethod(client: Client, method: DescMethod, unaryTimeoutMs: number): unknown {
  const def = toGrpcMethodDefinition(method);
  switch (method.methodKind) {
    case "unary":
      return (request: Init, options: CallOptions = {}) =>
        callUnary(client, def, request, options, unaryTimeoutMs);
    case "server_streaming":
      return (request: Init, options: CallOptions = {}) => callServerStream(client, def, request, options);
    case "client_streaming":
      return (requests: AsyncIterable<Init>, options: CallOptions = {}) =>
        callClientStream(client, def, requests, options, unaryTimeoutMs);
    case "bidi_streaming":
      return (options: CallOptions = {}) => openBidiStream(client, def, options);
    default:
      return method.methodKind satisfies never;
  }
}
