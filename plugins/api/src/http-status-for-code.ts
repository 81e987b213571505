import type { MtxErrorCode } from "./error-codes.ts";

/**
 * The one table that turns an error code into an HTTP status, used by every HTTP edge (agent
 * local API, hub API). Codes about an upstream (MediaMTX) answer 502/504: the request was fine,
 * the node behind it was not.
 */
const HTTP_STATUS = {
  MTX_INTERNAL: 500,
  MTX_INVALID_INPUT: 400,
  MTX_UNAUTHORIZED: 401,
  MTX_FORBIDDEN: 403,
  MTX_NOT_FOUND: 404,
  MTX_MEDIAMTX_UNREACHABLE: 502,
  MTX_MEDIAMTX_TIMEOUT: 504,
  MTX_MEDIAMTX_UNAUTHORIZED: 502,
  MTX_MEDIAMTX_NOT_FOUND: 404,
  MTX_MEDIAMTX_INVALID_CONFIG: 400,
  MTX_MEDIAMTX_BAD_REQUEST: 400,
  MTX_MEDIAMTX_PROTOCOL_DISABLED: 409,
  MTX_MEDIAMTX_SERVER_ERROR: 502,
  MTX_MEDIAMTX_BAD_RESPONSE: 502,
  MTX_MEDIAMTX_REDACTED_SECRET: 400,
  MTX_MEDIAMTX_UNSUPPORTED: 409,
  MTX_PLUGIN_INVALID: 400,
  MTX_PLUGIN_API_MISMATCH: 409,
  MTX_PLUGIN_MISSING_DEPENDENCY: 409,
  MTX_PLUGIN_DEPENDENCY_CYCLE: 409,
  MTX_PLUGIN_TIMEOUT: 504,
  MTX_PLUGIN_FAILED: 500,
  MTX_GRPC_CALL_FAILED: 502,
} as const satisfies Record<MtxErrorCode, number>;

export function httpStatusForCode(code: MtxErrorCode): number {
  return HTTP_STATUS[code];
}
