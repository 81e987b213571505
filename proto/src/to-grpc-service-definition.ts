import type { DescMessage, DescMethod, DescService, Message, MessageInitShape } from "@bufbuild/protobuf";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import type { MethodDefinition, ServiceDefinition } from "@grpc/grpc-js";

/** A grpc-js method definition for protobuf-es messages: init shapes in, messages out. */
export type ProtoMethodDefinition = MethodDefinition<MessageInitShape<DescMessage>, Message>;

/**
 * Builds the grpc-js `ServiceDefinition` of a protobuf-es service descriptor: one entry per RPC,
 * keyed by its `localName`, on the standard path `/<package.Service>/<Method>`, with protobuf
 * binary (de)serialisation, so any gRPC peer in any language can talk to it.
 */
export function toGrpcServiceDefinition(desc: DescService): ServiceDefinition {
  const definition: Record<string, ProtoMethodDefinition> = {};
  for (const method of desc.methods) definition[method.localName] = toGrpcMethodDefinition(method);
  return definition;
}

/** The grpc-js definition of one RPC; see `toGrpcServiceDefinition`. */
export function toGrpcMethodDefinition(method: DescMethod): ProtoMethodDefinition {
  const kind = method.methodKind;
  return {
    path: `/${method.parent.typeName}/${method.name}`,
    requestStream: kind === "client_streaming" || kind === "bidi_streaming",
    responseStream: kind === "server_streaming" || kind === "bidi_streaming",
    requestSerialize: serializer(method.input),
    requestDeserialize: deserializer(method.input),
    responseSerialize: serializer(method.output),
    responseDeserialize: deserializer(method.output),
    originalName: method.localName,
  };
}

function serializer(schema: DescMessage): (value: MessageInitShape<DescMessage>) => Buffer {
  return (value) => {
    // create() returns `value` itself when it already is a message of this type.
    const bytes = toBinary(schema, create(schema, value));
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  };
}

function deserializer(schema: DescMessage): (bytes: Buffer) => Message {
  return (bytes) => fromBinary(schema, bytes);
}
