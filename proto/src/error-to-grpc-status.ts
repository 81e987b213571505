import type { JsonObject } from "@bufbuild/protobuf";
import { create, toBinary } from "@bufbuild/protobuf";
import type { StatusObject } from "@grpc/grpc-js";
import { Metadata } from "@grpc/grpc-js";
import type { MtxErrorDetails } from "@mtx-fleet/plugin-api";
import { MtxError } from "@mtx-fleet/plugin-api";
import { ErrorDetailSchema } from "./gen/mtx/v1/error_detail_pb.ts";
import { grpcStatusForCode } from "./grpc-status-for-code.ts";

/** Trailing metadata key that carries a binary `mtx.v1.ErrorDetail` (`-bin`: gRPC base64s it). */
export const ERROR_DETAIL_METADATA_KEY = "mtx-error-bin";

/** The message sent for errors that are not MtxError: their text may hold internals. */
export const INTERNAL_ERROR_MESSAGE = "internal error; the server log has the details";

/**
 * Turns what a handler threw into the gRPC status to send. An MtxError keeps its code, message
 * and details (in the `mtx-error-bin` trailer); anything else becomes INTERNAL/`MTX_INTERNAL`
 * with a fixed message, so stacks and internal texts never reach the peer.
 */
export function errorToGrpcStatus(error: unknown): StatusObject {
  const e = MtxError.is(error) ? error : new MtxError("MTX_INTERNAL", INTERNAL_ERROR_MESSAGE);
  const details = toJsonObject(e.details);
  const detail = create(ErrorDetailSchema, { code: e.code, message: e.message, ...(details && { details }) });
  const metadata = new Metadata();
  metadata.set(ERROR_DETAIL_METADATA_KEY, Buffer.from(toBinary(ErrorDetailSchema, detail)));
  return { code: grpcStatusForCode(e.code), details: `${e.code}: ${e.message}`, metadata };
}

/** Details are documented as JSON; a value JSON cannot carry (bigint, cycle) drops them all. */
function toJsonObject(details: MtxErrorDetails | undefined): JsonObject | undefined {
  if (details === undefined) return undefined;
  try {
    return JSON.parse(JSON.stringify(details)) as JsonObject;
  } catch {
    return undefined;
  }
}
