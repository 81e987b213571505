// Loaded by the wrapper too: built-ins come from node-builtins.ts (see why there).
import { basename, dirname, join, open, rename, rm } from "./node-builtins.ts";

/**
 * Writes `data` to `file` so that a reader (or a crash) sees either no file or the whole
 * content: a temp file beside it (dot-prefixed, so directory scans skip it), fsync, rename,
 * fsync of the directory (the rename itself must survive a power cut).
 */
export async function writeFileAtomic(file: string, data: string, mode = 0o640): Promise<void> {
  const dir = dirname(file);
  const temp = join(dir, `.${basename(file)}.${process.pid}.tmp`);
  const handle = await open(temp, "wx", mode);
  try {
    await handle.writeFile(data, "utf8");
    // open()'s mode is cut by the umask; the spool must stay writable for its group.
    await handle.chmod(mode);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  const dirHandle = await open(dir, "r");
  try {
    await dirHandle.sync();
  } finally {
    await dirHandle.close();
  }
}
