import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { open, readFile } from "node:fs/promises";
import { join } from "node:path";
import { MtxError } from "@mtx-fleet/plugin-api";

/** Seals secrets the hub must be able to read back (an agentless node's MediaMTX password). */
export interface SecretBox {
  seal(plain: string): string;
  open(sealed: string): string;
}

const KEY_FILE = "secret.key";

async function loadOrCreateKey(dataDir: string): Promise<Buffer> {
  const file = join(dataDir, KEY_FILE);
  try {
    const key = Buffer.from((await readFile(file, "utf8")).trim(), "base64url");
    if (key.length !== 32) throw new MtxError("MTX_INVALID_INPUT", `${file} does not hold a 32-byte key`);
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw MtxError.from(error, "MTX_INVALID_INPUT");
    const key = randomBytes(32);
    // "wx": two hubs starting on one data dir must not each write a different key.
    const handle = await open(file, "wx", 0o600);
    try {
      await handle.writeFile(`${key.toString("base64url")}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    return key;
  }
}

/**
 * AES-256-GCM with a key kept in `<dataDir>/secret.key` (mode 0600, created on first use), so
 * the store file alone (a backup, a support bundle) does not reveal node passwords.
 */
export async function openSecretBox(dataDir: string): Promise<SecretBox> {
  const key = await loadOrCreateKey(dataDir);
  return {
    seal: (plain) => {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
      return ["v1", iv, cipher.getAuthTag(), body]
        .map((p) => (typeof p === "string" ? p : p.toString("base64url")))
        .join(".");
    },
    open: (sealed) => {
      const [version, iv, tag, body] = sealed.split(".");
      if (version !== "v1" || iv === undefined || tag === undefined || body === undefined) {
        throw new MtxError("MTX_INTERNAL", "sealed secret has an unknown format");
      }
      const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
      decipher.setAuthTag(Buffer.from(tag, "base64url"));
      return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString(
        "utf8",
      );
    },
  };
}
