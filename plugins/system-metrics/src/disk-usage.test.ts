import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { diskUsage } from "./disk-usage.ts";

const run = promisify(execFile);

async function df(columns: string): Promise<number[]> {
  const { stdout } = await run("df", ["-B1", `--output=${columns}`, "/"]);
  return stdout.trim().split("\n")[1]!.trim().split(/\s+/).map(Number);
}

describe("diskUsage", () => {
  it("matches df for / (sizes exact, used and free within 64 MiB of concurrent writes)", async () => {
    const [dfSize, dfUsed, dfAvail, dfInodes, dfInodesFree] = await df("size,used,avail,itotal,iavail");
    const usage = await diskUsage("/");
    if (usage.status !== "ok") throw new Error(usage.reason);
    expect(usage.totalBytes).toBe(dfSize);
    expect(usage.inodesTotal).toBe(dfInodes);
    const tolerance = 64 * 1024 * 1024;
    expect(Math.abs(usage.usedBytes - dfUsed!)).toBeLessThanOrEqual(tolerance);
    expect(Math.abs(usage.freeBytes - dfAvail!)).toBeLessThanOrEqual(tolerance);
    expect(Math.abs(usage.inodesFree - dfInodesFree!)).toBeLessThanOrEqual(10_000);
    expect(usage.usedBytes + usage.freeBytes).toBeLessThanOrEqual(usage.totalBytes);
    expect(usage.usedRatio).toBeCloseTo(usage.usedBytes / (usage.usedBytes + usage.freeBytes), 12);
  });

  it("reports a missing path as unavailable with the errno", async () => {
    expect(await diskUsage("/no/such/recordings")).toEqual({
      mount: "/no/such/recordings",
      status: "unavailable",
      reason: "ENOENT: no such file or directory, statfs '/no/such/recordings'",
    });
  });
});
