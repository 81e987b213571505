export type { MtxErrorCode } from "./error-codes.ts";
export { ERROR_CODES } from "./error-codes.ts";
export type { MtxErrorBody, MtxErrorDetails } from "./mtx-error.ts";
export { MtxError } from "./mtx-error.ts";
