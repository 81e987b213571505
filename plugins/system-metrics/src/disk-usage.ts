import { statfs } from "node:fs/promises";

/** Space and inodes of the file system holding a watched path, or why it cannot be read. */
export type DiskUsage =
  | {
      readonly mount: string;
      readonly status: "ok";
      readonly totalBytes: number;
      /** Space an unprivileged process may still use (df's "Avail"). */
      readonly freeBytes: number;
      readonly usedBytes: number;
      /** `used / (used + free)`, as df computes "Use%" (root-reserved blocks count as neither). */
      readonly usedRatio: number;
      readonly inodesTotal: number;
      readonly inodesFree: number;
    }
  | { readonly mount: string; readonly status: "unavailable"; readonly reason: string };

/** `statfs(2)` of `mount` (no `df` process); a missing or unreadable path is `unavailable`. */
export async function diskUsage(mount: string): Promise<DiskUsage> {
  try {
    const s = await statfs(mount);
    const totalBytes = s.blocks * s.bsize;
    const freeBytes = s.bavail * s.bsize;
    const usedBytes = (s.blocks - s.bfree) * s.bsize;
    const usable = usedBytes + freeBytes;
    return {
      mount,
      status: "ok",
      totalBytes,
      freeBytes,
      usedBytes,
      usedRatio: usable === 0 ? 0 : usedBytes / usable,
      inodesTotal: s.files,
      inodesFree: s.ffree,
    };
  } catch (error) {
    // Node's message starts with the errno code: "ENOENT: no such file or directory, statfs '/x'".
    return { mount, status: "unavailable", reason: (error as Error).message };
  }
}
