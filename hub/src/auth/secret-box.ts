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
/** The name of the key among the values hub replicas share. */
export const SHARED_SECRET_KEY_NAME = "secret-key";

/** Where hub replicas keep values they must agree on (`KvHubStore.shared`). */
export interface SharedSecretSource {
  get(name: string): Promise<string | undefined>;
  createIfAbsent(name: string, value: string): Promise<string>;
}

/** Options of `openSecretBox`. */
export interface SecretBoxOptions {
  /** With replicas: the key is the one they share (the first replica to start stores it). */
  readonly shared?: SharedSecretSource;
}

function parseKey(text: string, where: string): Buffer {
  const key = Buffer.from(text.trim(), "base64url");
  if (key.length !== 32) throw new MtxError("MTX_INVALID_INPUT", `${where} does not hold a 32-byte key`);
  return key;
}

async function readKeyFile(file: string): Promise<Buffer | undefined> {
  try {
    return parseKey(await readFile(file, "utf8"), file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw MtxError.from(error, "MTX_INVALID_INPUT");
  }
}

/**
 * The key hub replicas share: the stored one; else this replica's `secret.key` if it has one
 * (so an operator can bring a key), else a new one, stored create-only so the first replica
 * wins. A local file that differs from the shared key is refused: it would seal passwords
 * the other replicas could not open.
 */
async function sharedKey(dataDir: string, shared: SharedSecretSource): Promise<Buffer> {
  const file = join(dataDir, KEY_FILE);
  const local = await readKeyFile(file);
  const stored =
    (await shared.get(SHARED_SECRET_KEY_NAME)) ??
    (await shared.createIfAbsent(SHARED_SECRET_KEY_NAME, (local ?? randomBytes(32)).toString("base64url")));
  const key = parseKey(stored, "the shared secret key");
  if (local !== undefined && !local.equals(key)) {
    throw new MtxError(
      "MTX_INVALID_INPUT",
      `${file} differs from the secret key the hub replicas share: remove it (the shared key is used) or give every replica the same file`,
      { details: { file } },
    );
  }
  return key;
}

async function loadOrCreateKey(dataDir: string): Promise<Buffer> {
  const file = join(dataDir, KEY_FILE);
  const existing = await readKeyFile(file);
  if (existing !== undefined) return existing;
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

/**
 * AES-256-GCM with a key kept in `<dataDir>/secret.key` (mode 0600, created on first use), so
 * the store file alone (a backup, a support bundle) does not reveal node passwords. With
 * `shared` (hub replicas), the key is the one the replicas share in their store instead.
 */
export async function openSecretBox(dataDir: string, options: SecretBoxOptions = {}): Promise<SecretBox> {
  const key =
    options.shared === undefined ? await loadOrCreateKey(dataDir) : await sharedKey(dataDir, options.shared);
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
