import type { MtxErrorCode } from "./error-codes.ts";

/** Extra, JSON-serialisable facts about an error (never secrets). */
export type MtxErrorDetails = Readonly<Record<string, unknown>>;

/** The JSON shape every transport uses for an error: `{code, message, details}`. */
export interface MtxErrorBody {
  readonly code: MtxErrorCode;
  readonly message: string;
  readonly details?: MtxErrorDetails;
}

/**
 * The one error class of MTX Fleet: a stable code from `ERROR_CODES`, a sentence for people,
 * and optional details. `cause` keeps the original error.
 */
export class MtxError extends Error {
  readonly code: MtxErrorCode;
  readonly details: MtxErrorDetails | undefined;

  constructor(
    code: MtxErrorCode,
    message: string,
    options: { details?: MtxErrorDetails; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "MtxError";
    this.code = code;
    this.details = options.details;
  }

  /** Returns `e` if it already is an MtxError, else wraps it under `code`, keeping it as `cause`. */
  static from(e: unknown, code: MtxErrorCode = "MTX_INTERNAL", message?: string): MtxError {
    if (e instanceof MtxError) return e;
    const text = message ?? (e instanceof Error ? e.message : String(e));
    return new MtxError(code, text, { cause: e });
  }

  /** True when `e` is an MtxError (with `code`, when given). */
  static is(e: unknown, code?: MtxErrorCode): e is MtxError {
    return e instanceof MtxError && (code === undefined || e.code === code);
  }

  toJSON(): MtxErrorBody {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}
