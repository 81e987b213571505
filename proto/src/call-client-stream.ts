import { once } from "node:events";
import type { DescMessage, Message, MessageInitShape } from "@bufbuild/protobuf";
import type { Client, ClientWritableStream } from "@grpc/grpc-js";
import { MtxError } from "@mtx-fleet/plugin-api";
import type { CallOptions } from "./call-options.ts";
import { cancelOnAbort, toGrpcCallOptions } from "./call-options.ts";
import { grpcErrorToMtxError } from "./grpc-error-to-mtx-error.ts";
import type { ProtoMethodDefinition } from "./to-grpc-service-definition.ts";

type Init = MessageInitShape<DescMessage>;

/**
 * One client-streaming call: sends every message of `requests` (with backpressure), half-closes,
 * and resolves with the server's answer. If `requests` throws, the call is cancelled and the
 * promise rejects with that error (as MtxError).
 */
export function callClientStream(
  client: Client,
  def: ProtoMethodDefinition,
  requests: AsyncIterable<Init>,
  options: CallOptions,
  defaultTimeoutMs: number,
): Promise<Message> {
  const { metadata, callOptions } = toGrpcCallOptions(options, defaultTimeoutMs);
  const done = new AbortController();
  return new Promise((resolve, reject) => {
    const call = client.makeClientStreamRequest(
      def.path,
      def.requestSerialize,
      def.responseDeserialize,
      metadata,
      callOptions,
      (error, response) => {
        done.abort();
        stopListening();
        if (error) reject(grpcErrorToMtxError(error, def.path));
        else resolve(response as Message);
      },
    );
    const stopListening = cancelOnAbort(options.signal, () => call.cancel());
    sendAll(call, requests, done.signal).catch((error: unknown) => {
      if (done.signal.aborted) return; // the call already has its outcome
      call.cancel();
      reject(MtxError.from(error));
    });
  });
}

async function sendAll(call: ClientWritableStream<Init>, requests: AsyncIterable<Init>, done: AbortSignal) {
  for await (const request of requests) {
    if (done.aborted) return;
    if (!call.write(request)) await once(call, "drain", { signal: done });
  }
  call.end();
}
