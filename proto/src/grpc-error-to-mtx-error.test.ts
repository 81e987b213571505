import { create, toBinary } from "@bufbuild/protobuf";
import type { ServiceError } from "@grpc/grpc-js";
import { Metadata, status } from "@grpc/grpc-js";
import { MtxError } from "@mtx-fleet/plugin-api";
import { describe, expect, it } from "vitest";
import { ERROR_DETAIL_METADATA_KEY, errorToGrpcStatus } from "./error-to-grpc-status.ts";
import { ErrorDetailSchema } from "./gen/mtx/v1/error_detail_pb.ts";
import { grpcErrorToMtxError } from "./grpc-error-to-mtx-error.ts";

const METHOD = "/mtx.v1.Test/Call";

/** The error grpc-js hands a client for a status (what `callErrorFromStatus` builds). */
function serviceError(code: status, details: string, metadata = new Metadata()): ServiceError {
  return Object.assign(new Error(`${code} ${status[code]}: ${details}`), { code, details, metadata });
}

describe("grpcErrorToMtxError", () => {
  it("rebuilds the MtxError that errorToGrpcStatus sent", () => {
    const sent = new MtxError("MTX_MEDIAMTX_TIMEOUT", "no answer in 5 s", { details: { timeoutMs: 5000 } });
    const { code, details, metadata } = errorToGrpcStatus(sent);
    expect([code, details]).toEqual([status.DEADLINE_EXCEEDED, "MTX_MEDIAMTX_TIMEOUT: no answer in 5 s"]);
    expect(grpcErrorToMtxError(serviceError(code, details, metadata), METHOD).toJSON()).toEqual(
      sent.toJSON(),
    );
  });

  it("keeps a code this build does not know in details instead of trusting it", () => {
    const metadata = new Metadata();
    const detail = create(ErrorDetailSchema, { code: "MTX_FROM_THE_FUTURE", message: "new" });
    metadata.set(ERROR_DETAIL_METADATA_KEY, Buffer.from(toBinary(ErrorDetailSchema, detail)));
    const error = grpcErrorToMtxError(
      serviceError(status.ABORTED, "MTX_FROM_THE_FUTURE: new", metadata),
      METHOD,
    );
    expect(error.toJSON()).toEqual({
      code: "MTX_GRPC_CALL_FAILED",
      message: `gRPC call ${METHOD} failed: ABORTED: MTX_FROM_THE_FUTURE: new`,
      details: { grpcCode: status.ABORTED, method: METHOD, remoteCode: "MTX_FROM_THE_FUTURE" },
    });
  });

  it("falls back to the gRPC status when the trailer is not an ErrorDetail", () => {
    const metadata = new Metadata();
    metadata.set(ERROR_DETAIL_METADATA_KEY, Buffer.from([0xff, 0xff, 0xff]));
    const error = grpcErrorToMtxError(
      serviceError(status.UNAVAILABLE, "No connection established", metadata),
      METHOD,
    );
    expect(error.toJSON()).toEqual({
      code: "MTX_GRPC_CALL_FAILED",
      message: `gRPC call ${METHOD} failed: UNAVAILABLE: No connection established`,
      details: { grpcCode: status.UNAVAILABLE, method: METHOD },
    });
  });

  it("drops details that JSON cannot carry but keeps code and message", () => {
    const sent = new MtxError("MTX_INVALID_INPUT", "bad", { details: { big: 1n } });
    const { code, details, metadata } = errorToGrpcStatus(sent);
    expect(grpcErrorToMtxError(serviceError(code, details, metadata), METHOD).toJSON()).toEqual({
      code: "MTX_INVALID_INPUT",
      message: "bad",
    });
  });
});
