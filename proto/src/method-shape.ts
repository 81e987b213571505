import type { DescMessage, DescMethod } from "@bufbuild/protobuf";

/** Matches a generated RPC descriptor of one kind, to infer its input and output schemas. */
export type MethodShape<K extends DescMethod["methodKind"], I extends DescMessage, O extends DescMessage> = {
  methodKind: K;
  input: I;
  output: O;
};
