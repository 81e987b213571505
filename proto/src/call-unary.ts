import type { DescMessage, Message, MessageInitShape } from "@bufbuild/protobuf";
import type { Client } from "@grpc/grpc-js";
import type { CallOptions } from "./call-options.ts";
import { cancelOnAbort, toGrpcCallOptions } from "./call-options.ts";
import { grpcErrorToMtxError } from "./grpc-error-to-mtx-error.ts";
import type { ProtoMethodDefinition } from "./to-grpc-service-definition.ts";

/** One unary call; rejects with an MtxError (see `grpcErrorToMtxError`). */
export function callUnary(
  client: Client,
  def: ProtoMethodDefinition,
  request: MessageInitShape<DescMessage>,
  options: CallOptions,
  defaultTimeoutMs: number,
): Promise<Message> {
  const { metadata, callOptions } = toGrpcCallOptions(options, defaultTimeoutMs);
  return new Promise((resolve, reject) => {
    const call = client.makeUnaryRequest(
      def.path,
      def.requestSerialize,
      def.responseDeserialize,
      request,
      metadata,
      callOptions,
      (error, response) => {
        stopListening();
        if (error) reject(grpcErrorToMtxError(error, def.path));
        else resolve(response as Message);
      },
    );
    // grpc-js never calls back synchronously, so `stopListening` is set before it is used.
    const stopListening = cancelOnAbort(options.signal, () => call.cancel());
  });
}
