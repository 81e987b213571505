import { execFile } from "node:child_process";
import os from "node:os";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { parseMeminfo, readMemoryUsage } from "./memory-usage.ts";

describe("parseMeminfo", () => {
  it("uses MemAvailable, converts kB to bytes and reads swap", () => {
    const text =
      "MemTotal:  1000 kB\nMemFree:  100 kB\nMemAvailable:  400 kB\nSwapTotal:  50 kB\nSwapFree:  20 kB\n";
    expect(parseMeminfo(text)).toEqual({
      totalBytes: 1000 * 1024,
      availableBytes: 400 * 1024,
      usedBytes: 600 * 1024,
      swapTotalBytes: 50 * 1024,
      swapFreeBytes: 20 * 1024,
    });
  });

  it("falls back to MemFree on kernels without MemAvailable", () => {
    expect(parseMeminfo("MemTotal: 10 kB\nMemFree: 4 kB\n").availableBytes).toBe(4 * 1024);
  });
});

describe("readMemoryUsage on this machine", () => {
  it("agrees with free(1) on the total and adds up", async () => {
    const { stdout } = await promisify(execFile)("free", ["-b"]);
    const freeTotal = Number(stdout.split("\n")[1]!.trim().split(/\s+/)[1]);
    const memory = await readMemoryUsage();
    expect(memory.totalBytes).toBe(freeTotal);
    expect(memory.totalBytes).toBe(os.totalmem());
    expect(memory.usedBytes + memory.availableBytes).toBe(memory.totalBytes);
    expect(memory.availableBytes).toBeGreaterThan(0);
    expect(memory.availableBytes).toBeLessThanOrEqual(memory.totalBytes);
    expect(memory.swapFreeBytes).toBeLessThanOrEqual(memory.swapTotalBytes);
  });
});
