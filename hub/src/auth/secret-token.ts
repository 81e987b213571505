import { createHash, randomBytes } from "node:crypto";

/** Prefixes tell a leaked secret's kind at a glance (and let secret scanners find it). */
export const SECRET_PREFIXES = { enrol: "mtxe_", node: "mtxn_", api: "mtxh_" } as const;

/** A new random secret: the kind's prefix and 32 random bytes, base64url. */
export function newSecretToken(kind: keyof typeof SECRET_PREFIXES): string {
  return SECRET_PREFIXES[kind] + randomBytes(32).toString("base64url");
}

/**
 * The stored form of a token: SHA-256, base64url. Tokens carry 256 random bits, so a fast hash
 * is enough (no salt or stretching needed, unlike passwords) and lookups stay by key.
 */
export function hashSecretToken(token: string): string {
  return createHash("sha256").update(token).digest("base64url");
}
