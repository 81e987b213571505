import { status } from "@grpc/grpc-js";
import type { MtxErrorCode } from "@mtx-fleet/plugin-api";

/**
 * The one table that turns an MTX error code into a gRPC status (STYLE §10). Clients of this
 * package get the exact code back from the `mtx-error-bin` trailer; the status is for other
 * gRPC peers and for retry decisions (UNAVAILABLE and DEADLINE_EXCEEDED are transient).
 * A failing dependency of the server (MediaMTX, a plugin) is reported as a precondition or
 * availability problem, never as the caller's authentication failure.
 */
export const GRPC_STATUS_FOR_CODE = {
  MTX_INTERNAL: status.INTERNAL,
  MTX_INVALID_INPUT: status.INVALID_ARGUMENT,
  MTX_UNAUTHORIZED: status.UNAUTHENTICATED,
  MTX_FORBIDDEN: status.PERMISSION_DENIED,
  MTX_NOT_FOUND: status.NOT_FOUND,
  MTX_MEDIAMTX_UNREACHABLE: status.UNAVAILABLE,
  MTX_MEDIAMTX_TIMEOUT: status.DEADLINE_EXCEEDED,
  MTX_MEDIAMTX_UNAUTHORIZED: status.FAILED_PRECONDITION,
  MTX_MEDIAMTX_NOT_FOUND: status.NOT_FOUND,
  MTX_MEDIAMTX_INVALID_CONFIG: status.INVALID_ARGUMENT,
  MTX_MEDIAMTX_BAD_REQUEST: status.INVALID_ARGUMENT,
  MTX_MEDIAMTX_PROTOCOL_DISABLED: status.FAILED_PRECONDITION,
  MTX_MEDIAMTX_SERVER_ERROR: status.UNAVAILABLE,
  MTX_MEDIAMTX_BAD_RESPONSE: status.INTERNAL,
  MTX_MEDIAMTX_REDACTED_SECRET: status.INVALID_ARGUMENT,
  MTX_MEDIAMTX_UNSUPPORTED: status.FAILED_PRECONDITION,
  MTX_PLUGIN_INVALID: status.FAILED_PRECONDITION,
  MTX_PLUGIN_API_MISMATCH: status.FAILED_PRECONDITION,
  MTX_PLUGIN_MISSING_DEPENDENCY: status.FAILED_PRECONDITION,
  MTX_PLUGIN_DEPENDENCY_CYCLE: status.FAILED_PRECONDITION,
  MTX_PLUGIN_TIMEOUT: status.DEADLINE_EXCEEDED,
  MTX_PLUGIN_FAILED: status.UNAVAILABLE,
  MTX_GRPC_CALL_FAILED: status.UNKNOWN,
  MTX_LINK_TIMEOUT: status.DEADLINE_EXCEEDED,
  MTX_NODE_OFFLINE: status.UNAVAILABLE,
  MTX_NATS_UNAVAILABLE: status.UNAVAILABLE,
  MTX_UNAVAILABLE: status.UNAVAILABLE,
  MTX_RATE_LIMITED: status.RESOURCE_EXHAUSTED,
  MTX_PROBE_FAILED: status.UNAVAILABLE,
  MTX_PROBE_TIMEOUT: status.DEADLINE_EXCEEDED,
  MTX_PROBE_BUSY: status.RESOURCE_EXHAUSTED,
  MTX_URL_FORBIDDEN: status.PERMISSION_DENIED,
  MTX_HOOK_UNDELIVERED: status.UNAVAILABLE,
  MTX_WORKER_FAILED: status.UNAVAILABLE,
} as const satisfies Record<MtxErrorCode, status>;

/** The gRPC status for `code` (the table is complete: a new code does not compile until mapped). */
export function grpcStatusForCode(code: MtxErrorCode): status {
  return GRPC_STATUS_FOR_CODE[code];
}
