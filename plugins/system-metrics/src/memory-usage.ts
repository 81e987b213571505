import { readFile } from "node:fs/promises";
import os from "node:os";

/** Memory of the machine in bytes. */
export interface MemoryUsage {
  readonly totalBytes: number;
  /** What can be given to new work without swapping (`MemAvailable`, not `MemFree`). */
  readonly availableBytes: number;
  /** `total - available`. */
  readonly usedBytes: number;
  readonly swapTotalBytes: number;
  readonly swapFreeBytes: number;
}

/** Parses Linux `/proc/meminfo` (values in kB, meaning KiB). */
export function parseMeminfo(text: string): MemoryUsage {
  const kib = new Map<string, number>();
  for (const line of text.split("\n")) {
    const match = /^(\w+):\s+(\d+)/.exec(line);
    if (match) kib.set(match[1]!, Number(match[2]) * 1024);
  }
  const totalBytes = kib.get("MemTotal");
  if (totalBytes === undefined) throw new Error("no MemTotal in /proc/meminfo");
  // MemAvailable exists since Linux 3.14; before, free memory is the best lower bound.
  const availableBytes = kib.get("MemAvailable") ?? kib.get("MemFree") ?? 0;
  return {
    totalBytes,
    availableBytes,
    usedBytes: totalBytes - availableBytes,
    swapTotalBytes: kib.get("SwapTotal") ?? 0,
    swapFreeBytes: kib.get("SwapFree") ?? 0,
  };
}

/** Reads `/proc/meminfo`, or `node:os` where there is none. */
export async function readMemoryUsage(procRoot = "/proc"): Promise<MemoryUsage> {
  try {
    return parseMeminfo(await readFile(`${procRoot}/meminfo`, "utf8"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    const totalBytes = os.totalmem();
    const availableBytes = os.freemem();
    return {
      totalBytes,
      availableBytes,
      usedBytes: totalBytes - availableBytes,
      swapTotalBytes: 0,
      swapFreeBytes: 0,
    };
  }
}
