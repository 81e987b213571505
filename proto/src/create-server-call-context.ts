import type { Metadata } from "@grpc/grpc-js";
import { status } from "@grpc/grpc-js";
import { MtxError } from "@mtx-fleet/plugin-api";
import type { ServerCallContext } from "./service-impl.ts";

/** The parts of every grpc-js server call that the context needs. */
export interface ServerCallLike {
  readonly metadata: Metadata;
  readonly cancelled: boolean;
  getPeer(): string;
  once(event: "cancelled", listener: () => void): unknown;
}

/** Builds the `ServerCallContext` of a call; its signal aborts when grpc-js reports the cancel. */
export function createServerCallContext(call: ServerCallLike, method: string): ServerCallContext {
  const controller = new AbortController();
  const abort = () =>
    controller.abort(
      new MtxError("MTX_GRPC_CALL_FAILED", `gRPC call ${method} was cancelled or its deadline passed`, {
        details: { grpcCode: status.CANCELLED, method },
      }),
    );
  if (call.cancelled) abort();
  else call.once("cancelled", abort);
  return { method, signal: controller.signal, metadata: call.metadata, peer: call.getPeer() };
}
