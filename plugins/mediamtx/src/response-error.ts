import { MtxError, type MtxErrorCode } from "@mtx-fleet/plugin-api";

/** What a request is, which decides how a 400 is reported. */
export type RequestKind = "read" | "config-write" | "action";

/** Facts about the failed request, kept in `details`. */
export interface FailedRequest {
  readonly method: string;
  readonly route: string;
  readonly kind: RequestKind;
  /** Code for gin's plain-text `404 page not found` (route not registered). */
  readonly plainNotFound: MtxErrorCode;
}

/**
 * Turns a non-2xx MediaMTX reply into an MtxError. MediaMTX's own message (`error` of the
 * JSON body, `{"status":"error","error":...}` or the pre-v1.15.5 `{"error":...}`) is kept in
 * `details.mediamtxMessage` and repeated in the message.
 */
export function responseError(req: FailedRequest, status: number, bodyText: string): MtxError {
  const parsed = parseErrorBody(bodyText);
  const mediamtxMessage = parsed ?? (bodyText.trim() === "" ? null : bodyText.trim().slice(0, 500));
  const details = {
    method: req.method,
    route: req.route,
    status,
    ...(mediamtxMessage === null ? {} : { mediamtxMessage }),
  };
  const op = `${req.method} ${req.route}`;
  const said = mediamtxMessage === null ? "" : `: ${mediamtxMessage}`;
  const make = (code: MtxErrorCode, message: string) => new MtxError(code, message, { details });

  if (status === 401) return make("MTX_MEDIAMTX_UNAUTHORIZED", `MediaMTX refused the credentials for ${op}`);
  if (status === 404) {
    if (parsed === null) {
      return make(req.plainNotFound, `MediaMTX has no route ${op} (plain-text 404${said})`);
    }
    return make("MTX_MEDIAMTX_NOT_FOUND", `MediaMTX answered not found to ${op}${said}`);
  }
  if (status === 400) {
    const code = req.kind === "config-write" ? "MTX_MEDIAMTX_INVALID_CONFIG" : "MTX_MEDIAMTX_BAD_REQUEST";
    return make(code, `MediaMTX rejected ${op}${said}`);
  }
  if (status >= 500)
    return make("MTX_MEDIAMTX_SERVER_ERROR", `MediaMTX failed ${op} with HTTP ${status}${said}`);
  return make("MTX_MEDIAMTX_BAD_RESPONSE", `MediaMTX answered ${op} with unexpected HTTP ${status}${said}`);
}

/** The `error` string of a JSON error body, or null when the body is not one. */
function parseErrorBody(text: string): string | null {
  try {
    const body: unknown = JSON.parse(text);
    if (typeof body === "object" && body !== null && "error" in body && typeof body.error === "string") {
      return body.error;
    }
  } catch {
    // not JSON: gin's plain-text 404, a proxy's HTML page, or an empty body
  }
  return null;
}
