import { randomBytes } from "node:crypto";
import { copyFile, link, open, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/** Options of `writeFileDurably`. */
export interface WriteFileDurablyOptions {
  /** Keep the replaced generation as `<file>.bak` (a hard link: no bytes are copied). */
  readonly keepBackup?: boolean;
}

/** The suffix of temp files; leftovers of a crash are removed by `removeTempFiles`. */
export const TEMP_SUFFIX = ".tmp";

/**
 * Replaces `file` so that after a crash or power cut it holds either the old or the new
 * content, never a mix: write a temp file in the same directory, fsync it, rename it over the
 * target, fsync the directory (the rename itself is only durable then).
 */
export async function writeFileDurably(
  file: string,
  data: string | Uint8Array,
  options: WriteFileDurablyOptions = {},
): Promise<void> {
  const dir = dirname(file);
  const temp = join(dir, `.${basename(file)}.${randomBytes(4).toString("hex")}${TEMP_SUFFIX}`);
  try {
    const handle = await open(temp, "wx", 0o600);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (options.keepBackup === true) await linkBackup(file);
    await rename(temp, file);
  } catch (e) {
    await unlink(temp).catch(() => {});
    throw e;
  }
  await fsyncDir(dir);
}

/** fsyncs a directory so that creations, renames and deletions in it survive a power cut. */
export async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Points `<file>.bak` at the current generation of `file`, atomically; no-op without a file. */
async function linkBackup(file: string): Promise<void> {
  const temp = `${file}.bak${TEMP_SUFFIX}`;
  await unlink(temp).catch(() => {});
  try {
    await link(file, temp);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return;
    // Filesystems without hard links (FAT on a USB stick): copy instead.
    if (code !== "EPERM" && code !== "ENOTSUP") throw e;
    await copyFile(file, temp);
  }
  await rename(temp, `${file}.bak`);
}
