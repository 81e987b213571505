import { MtxError } from "@mtx-fleet/plugin-api";

interface FastifyishError {
  readonly statusCode?: number;
  readonly code?: string;
  readonly validation?: ReadonlyArray<{ instancePath: string; message?: string }>;
  readonly validationContext?: string;
}

/**
 * Turns whatever a request failed with into an MtxError: schema validation, malformed JSON,
 * unsupported content type and oversized bodies are the caller's input (MTX_INVALID_INPUT,
 * 400); anything else not already an MtxError is internal.
 */
export function toMtxError(error: unknown): MtxError {
  if (MtxError.is(error)) return error;
  const e = error as FastifyishError & Error;
  if (e.validation !== undefined) {
    const part = e.validationContext ?? "request";
    const issues = e.validation.map((v) => {
      const path = [part, ...v.instancePath.split("/").filter((p) => p !== "")].join(".");
      return { path, message: `${path} ${v.message ?? "is invalid"}` };
    });
    return new MtxError("MTX_INVALID_INPUT", issues.map((i) => i.message).join("; "), {
      details: { issues },
    });
  }
  if (e.statusCode === 413) {
    return new MtxError("MTX_INVALID_INPUT", "request body too large", { details: { fastifyCode: e.code } });
  }
  if (e.statusCode !== undefined && e.statusCode >= 400 && e.statusCode < 500) {
    return new MtxError("MTX_INVALID_INPUT", e.message, { details: { fastifyCode: e.code } });
  }
  return MtxError.from(error, "MTX_INTERNAL", "internal error");
}
