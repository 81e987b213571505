import { MtxError } from "@mtx-fleet/plugin-api";

/** errno codes that mean "no room to write", where the fix is freeing disk space. */
const NO_SPACE_CODES = new Set(["ENOSPC", "EDQUOT", "EFBIG"]);

/** The errno code of a Node system error, if it has one. */
export function errnoCode(e: unknown): string | undefined {
  if (typeof e !== "object" || e === null || !("code" in e)) return undefined;
  return typeof e.code === "string" ? e.code : undefined;
}

/**
 * Wraps a failed disk operation in an MtxError whose `details.errno` says why and whose
 * `details.diskFull` tells callers to retry once space is back.
 * TODO(lead): switch to `MTX_DISK_FULL` / `MTX_STORAGE_IO` once those codes exist.
 */
export function storageError(e: unknown, message: string, details: Record<string, unknown> = {}): MtxError {
  const errno = errnoCode(e);
  const diskFull = errno !== undefined && NO_SPACE_CODES.has(errno);
  const text = diskFull ? `${message}: the disk is full (${errno})` : `${message}: ${errnoOrMessage(e)}`;
  return new MtxError("MTX_INTERNAL", text, { details: { ...details, errno, diskFull }, cause: e });
}

function errnoOrMessage(e: unknown): string {
  return errnoCode(e) ?? (e instanceof Error ? e.message : String(e));
}
