import type { DescMessage, Message, MessageInitShape, MessageShape } from "@bufbuild/protobuf";
import type { Client, StatusObject } from "@grpc/grpc-js";
import { status } from "@grpc/grpc-js";
import { MtxError } from "@mtx-fleet/plugin-api";
import type { CallOptions } from "./call-options.ts";
import { cancelOnAbort, toGrpcCallOptions } from "./call-options.ts";
import { grpcErrorToMtxError } from "./grpc-error-to-mtx-error.ts";
import type { LocalCancel } from "./read-responses.ts";
import { readResponses } from "./read-responses.ts";
import type { ProtoMethodDefinition } from "./to-grpc-service-definition.ts";

/**
 * An open bidi-streaming call. Iterate it (once) for the responses: the loop ends when the
 * server ends the call with OK or when you `cancel()`; a failure is thrown as an MtxError.
 */
export interface BidiStream<I extends DescMessage, O extends DescMessage>
  extends AsyncIterable<MessageShape<O>> {
  /**
   * Sends one message. Resolves when grpc-js has written it, so awaiting each send gives
   * backpressure; rejects with an MtxError once the call has failed, was cancelled or ended.
   */
  send(message: MessageInitShape<I>): Promise<void>;
  /** Half-closes: no more sends; responses keep coming until the server ends the call. */
  end(): void;
  /** Cancels the call: the server's request stream ends, the response loop here ends quietly. */
  cancel(): void;
}

/** Opens a bidi-streaming call; see `BidiStream`. */
export function openBidiStream(
  client: Client,
  def: ProtoMethodDefinition,
  options: CallOptions,
): BidiStream<DescMessage, DescMessage> {
  const { metadata, callOptions } = toGrpcCallOptions(options, undefined);
  const call = client.makeBidiStreamRequest<MessageInitShape<DescMessage>, Message>(
    def.path,
    def.requestSerialize,
    def.responseDeserialize,
    metadata,
    callOptions,
  );
  let cancelled = false;
  let ended = false;
  // Why sends can no longer succeed: the call failed, was cancelled or the server ended it.
  let closed: MtxError | undefined;
  const pendingSends = new Set<(error: MtxError) => void>();
  const close = (reason: MtxError): MtxError => {
    closed ??= reason;
    // grpc-js drops the callbacks of writes still queued when the call ends; settle them here.
    for (const reject of pendingSends) reject(closed);
    pendingSends.clear();
    return closed;
  };
  const local: LocalCancel = {
    get cancelled() {
      return cancelled;
    },
    cancel() {
      cancelled = true;
      close(cancelledError(def.path));
      call.cancel();
    },
  };
  // One error instance for the response loop and every rejected send.
  const failWith = (error: unknown): MtxError => close(grpcErrorToMtxError(error, def.path));
  // Also keeps an unread failure from crashing the process as an unhandled 'error' event.
  call.on("error", failWith);
  const stopListening = cancelOnAbort(options.signal, () => local.cancel());
  call.once("status", ({ code }: StatusObject) => {
    stopListening();
    close(endedError(def.path, code));
  });
  const responses = readResponses<Message>(call, local, failWith);

  const send = (message: MessageInitShape<DescMessage>): Promise<void> => {
    if (closed !== undefined) return Promise.reject(closed);
    if (ended) return Promise.reject(new MtxError("MTX_INTERNAL", `send() after end() on ${def.path}`));
    return new Promise((resolve, reject) => {
      pendingSends.add(reject);
      call.write(message, (error: Error | null | undefined) => {
        pendingSends.delete(reject);
        if (error) reject(failWith(error));
        else resolve();
      });
    });
  };
  const end = () => {
    if (ended || closed !== undefined) return;
    ended = true;
    call.end();
  };
  return { send, end, cancel: () => local.cancel(), [Symbol.asyncIterator]: () => responses };
}

function cancelledError(method: string): MtxError {
  return new MtxError("MTX_GRPC_CALL_FAILED", `gRPC call ${method} was cancelled by the caller`, {
    details: { grpcCode: status.CANCELLED, method },
  });
}

function endedError(method: string, grpcCode: status): MtxError {
  return new MtxError("MTX_GRPC_CALL_FAILED", `gRPC call ${method} has already ended`, {
    details: { grpcCode, method },
  });
}
