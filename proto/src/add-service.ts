import type { DescService } from "@bufbuild/protobuf";
import type { Server, UntypedServiceImplementation } from "@grpc/grpc-js";
import { MtxError } from "@mtx-fleet/plugin-api";
import type { ServerCallContext, ServiceImpl } from "./service-impl.ts";
import type { UntypedMethodImpl } from "./to-grpc-handler.ts";
import { toGrpcHandler } from "./to-grpc-handler.ts";
import { toGrpcServiceDefinition } from "./to-grpc-service-definition.ts";

/** Options of `addService`. */
export interface AddServiceOptions {
  /**
   * Called when a handler throws something that is not an MtxError. The client only gets
   * INTERNAL with a fixed message, so this is where the real error gets logged.
   */
  readonly onUnexpectedError?: (error: unknown, ctx: ServerCallContext) => void;
}

/**
 * Serves a generated protobuf-es service on a grpc-js `Server`. `impl` has one handler per RPC,
 * typed from the descriptor (see `MethodImpl`). A thrown MtxError reaches the client with the
 * same code, message and details; any other error becomes INTERNAL without its text or stack.
 * Keepalive and limits are grpc-js server options: `new Server({ "grpc.keepalive_time_ms": ... })`.
 */
export function addService<S extends DescService>(
  server: Server,
  desc: S,
  impl: ServiceImpl<S>,
  options: AddServiceOptions = {},
): void {
  const { onUnexpectedError } = options;
  const report = (error: unknown, ctx: ServerCallContext) => {
    if (MtxError.is(error)) return;
    try {
      onUnexpectedError?.(error, ctx);
    } catch {
      // A failing reporter must not turn one failed call into an unhandled rejection.
    }
  };
  const handlers: UntypedServiceImplementation = {};
  for (const method of desc.methods) {
    const handler: unknown = (impl as Record<string, unknown>)[method.localName];
    if (typeof handler !== "function") {
      throw new MtxError("MTX_INVALID_INPUT", `no handler for ${desc.typeName}.${method.name}`);
    }
    handlers[method.localName] = toGrpcHandler(method, handler.bind(impl) as UntypedMethodImpl, report);
  }
  server.addService(toGrpcServiceDefinition(desc), handlers);
}
