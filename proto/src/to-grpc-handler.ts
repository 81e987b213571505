import { once } from "node:events";
import type { DescMessage, DescMethod, Message, MessageInitShape } from "@bufbuild/protobuf";
import type {
  ServerDuplexStream,
  ServerReadableStream,
  ServerUnaryCall,
  ServerWritableStream,
  sendUnaryData,
  UntypedHandleCall,
} from "@grpc/grpc-js";
import { createServerCallContext } from "./create-server-call-context.ts";
import { errorToGrpcStatus } from "./error-to-grpc-status.ts";
import { readRequests } from "./read-requests.ts";
import type { ServerCallContext } from "./service-impl.ts";

type Init = MessageInitShape<DescMessage>;
/** A handler from a `ServiceImpl`, seen without its per-method types. */
export type UntypedMethodImpl = (input: unknown, ctx: ServerCallContext) => unknown;
/** Called with every failure that is not sent to the client as it is (a non-MtxError). */
export type ErrorReporter = (error: unknown, ctx: ServerCallContext) => void;

/** Wraps one typed handler into the grpc-js handler for its method kind. */
export function toGrpcHandler(
  method: DescMethod,
  impl: UntypedMethodImpl,
  report: ErrorReporter,
): UntypedHandleCall {
  const path = `/${method.parent.typeName}/${method.name}`;
  switch (method.methodKind) {
    case "unary":
      return (call: ServerUnaryCall<Message, Init>, callback: sendUnaryData<Init>) => {
        const ctx = createServerCallContext(call, path);
        void answer(async () => (await impl(call.request, ctx)) as Init, callback, ctx, report);
      };
    case "client_streaming":
      return (call: ServerReadableStream<Message, Init>, callback: sendUnaryData<Init>) => {
        const ctx = createServerCallContext(call, path);
        void answer(async () => (await impl(readRequests(call), ctx)) as Init, callback, ctx, report);
      };
    case "server_streaming":
      return (call: ServerWritableStream<Message, Init>) => {
        const ctx = createServerCallContext(call, path);
        void stream(call, () => impl(call.request, ctx) as AsyncIterable<Init>, ctx, report);
      };
    case "bidi_streaming":
      return (call: ServerDuplexStream<Message, Init>) => {
        const ctx = createServerCallContext(call, path);
        void stream(call, () => impl(readRequests(call), ctx) as AsyncIterable<Init>, ctx, report);
      };
    default:
      return method.methodKind satisfies never;
  }
}

async function answer(
  run: () => Promise<Init>,
  callback: sendUnaryData<Init>,
  ctx: ServerCallContext,
  report: ErrorReporter,
): Promise<void> {
  let response: Init;
  try {
    response = await run();
  } catch (error) {
    report(error, ctx);
    callback(errorToGrpcStatus(error));
    return;
  }
  callback(null, response);
}

async function stream(
  call: ServerWritableStream<Message, Init> | ServerDuplexStream<Message, Init>,
  run: () => AsyncIterable<Init>,
  ctx: ServerCallContext,
  report: ErrorReporter,
): Promise<void> {
  try {
    for await (const response of run()) {
      if (ctx.signal.aborted) return; // leaving the loop also stops the handler's generator
      if (!call.write(response)) await once(call, "drain", { signal: ctx.signal });
    }
    if (!ctx.signal.aborted) call.end();
  } catch (error) {
    if (ctx.signal.aborted) return; // the client is gone: nobody would receive the status
    report(error, ctx);
    // grpc-js turns an 'error' event on a server stream into the call's final status.
    call.emit("error", errorToGrpcStatus(error));
  }
}
