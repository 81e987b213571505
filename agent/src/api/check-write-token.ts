import { timingSafeEqual } from "node:crypto";
import { MtxError } from "@mtx-fleet/plugin-api";

const READ_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Writes (anything but GET/HEAD/OPTIONS) need `Authorization: Bearer <token>`. Without a
 * configured token, writes are disabled rather than open: the agent's API must never be an
 * unauthenticated way to change the node.
 */
export function checkWriteToken(
  method: string,
  authorization: string | undefined,
  token: string | undefined,
): void {
  if (READ_METHODS.has(method)) return;
  if (token === undefined) {
    throw new MtxError(
      "MTX_FORBIDDEN",
      "writes are disabled on this agent: set localApi.token in the agent config",
    );
  }
  const presented = /^Bearer (.+)$/i.exec(authorization ?? "")?.[1] ?? "";
  const a = Buffer.from(presented);
  const b = Buffer.from(token);
  if (a.length !== b.length || !timingSafeEqual(a, b)) {
    throw new MtxError("MTX_UNAUTHORIZED", "this request needs 'Authorization: Bearer <localApi.token>'");
  }
}
