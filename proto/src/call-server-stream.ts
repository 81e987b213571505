import type { DescMessage, Message, MessageInitShape } from "@bufbuild/protobuf";
import type { Client } from "@grpc/grpc-js";
import type { CallOptions } from "./call-options.ts";
import { cancelOnAbort, toGrpcCallOptions } from "./call-options.ts";
import { grpcErrorToMtxError } from "./grpc-error-to-mtx-error.ts";
import type { LocalCancel } from "./read-responses.ts";
import { readResponses } from "./read-responses.ts";
import type { ProtoMethodDefinition } from "./to-grpc-service-definition.ts";

/** One server-streaming call; it starts at once, the responses are read with `for await`. */
export function callServerStream(
  client: Client,
  def: ProtoMethodDefinition,
  request: MessageInitShape<DescMessage>,
  options: CallOptions,
): AsyncIterable<Message> {
  const { metadata, callOptions } = toGrpcCallOptions(options, undefined);
  const call = client.makeServerStreamRequest(
    def.path,
    def.requestSerialize,
    def.responseDeserialize,
    request,
    metadata,
    callOptions,
  );
  let cancelled = false;
  const local: LocalCancel = {
    get cancelled() {
      return cancelled;
    },
    cancel() {
      cancelled = true;
      call.cancel();
    },
  };
  // Failures reach the caller through the iterator; without a listener 'error' would crash.
  call.on("error", () => {});
  call.once(
    "status",
    cancelOnAbort(options.signal, () => local.cancel()),
  );
  return readResponses<Message>(call, local, (error) => grpcErrorToMtxError(error, def.path));
}
