import { fromBinary } from "@bufbuild/protobuf";
import type { ServiceError } from "@grpc/grpc-js";
import { status } from "@grpc/grpc-js";
import type { MtxErrorCode } from "@mtx-fleet/plugin-api";
import { ERROR_CODES, MtxError } from "@mtx-fleet/plugin-api";
import { ERROR_DETAIL_METADATA_KEY } from "./error-to-grpc-status.ts";
import type { ErrorDetail } from "./gen/mtx/v1/error_detail_pb.ts";
import { ErrorDetailSchema } from "./gen/mtx/v1/error_detail_pb.ts";

/**
 * Turns a failed gRPC call into an MtxError. When the server sent an `mtx-error-bin` trailer
 * with a code this build knows, the client gets the server's error back (code, message,
 * details); otherwise `MTX_GRPC_CALL_FAILED` with `details.grpcCode` and `details.method`.
 * The grpc-js error is kept as `cause`.
 */
export function grpcErrorToMtxError(error: unknown, method: string): MtxError {
  if (!isServiceError(error)) return MtxError.from(error, "MTX_GRPC_CALL_FAILED");
  const detail = readErrorDetail(error);
  if (detail !== undefined && isMtxErrorCode(detail.code)) {
    const details = detail.details;
    return new MtxError(detail.code, detail.message, { ...(details && { details }), cause: error });
  }
  const name = status[error.code] ?? String(error.code);
  return new MtxError("MTX_GRPC_CALL_FAILED", `gRPC call ${method} failed: ${name}: ${error.details}`, {
    // A code from a newer server is kept so the failure can still be diagnosed.
    details: { grpcCode: error.code, method, ...(detail && { remoteCode: detail.code }) },
    cause: error,
  });
}

function isServiceError(error: unknown): error is ServiceError {
  return error instanceof Error && typeof (error as Partial<ServiceError>).code === "number";
}

function readErrorDetail(error: ServiceError): ErrorDetail | undefined {
  const value = error.metadata?.get(ERROR_DETAIL_METADATA_KEY)[0];
  if (!Buffer.isBuffer(value)) return undefined;
  try {
    return fromBinary(ErrorDetailSchema, value);
  } catch {
    return undefined; // a peer that is not MTX Fleet may use the same key; fall back to the status
  }
}

function isMtxErrorCode(code: string): code is MtxErrorCode {
  return Object.hasOwn(ERROR_CODES, code);
}
