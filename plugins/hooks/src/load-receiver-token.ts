import { randomBytes } from "node:crypto";
import { mkdir, readFile } from "node:fs/promises";
import { dirname } from "node:path";
import { writeFileAtomic } from "./write-file-atomic.ts";

/** The receiver's token, or why there is none. */
export type ReceiverToken =
  | { readonly kind: "token"; readonly token: string; readonly created: boolean }
  | { readonly kind: "missing"; readonly reason: string };

const MIN_TOKEN_LENGTH = 16;

/**
 * The token the wrapper must present: `token` from the config, else the content of
 * `tokenFile`; a missing file is created with a random token (mode 0640: MediaMTX's group
 * reads it), so a default install needs no setup.
 */
export async function loadReceiverToken(
  token: string | undefined,
  tokenFile: string,
): Promise<ReceiverToken> {
  if (token !== undefined) return { kind: "token", token, created: false };
  try {
    const text = (await readFile(tokenFile, "utf8")).trim();
    if (text.length < MIN_TOKEN_LENGTH) {
      return { kind: "missing", reason: `${tokenFile} holds fewer than ${MIN_TOKEN_LENGTH} characters` };
    }
    return { kind: "token", token: text, created: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") {
      return {
        kind: "missing",
        reason: `${tokenFile} unreadable (${(error as NodeJS.ErrnoException).code})`,
      };
    }
  }
  const fresh = randomBytes(32).toString("hex");
  try {
    await mkdir(dirname(tokenFile), { recursive: true });
    await writeFileAtomic(tokenFile, `${fresh}\n`, 0o640);
    return { kind: "token", token: fresh, created: true };
  } catch (error) {
    return { kind: "missing", reason: `${tokenFile} cannot be created (${(error as Error).message})` };
  }
}
