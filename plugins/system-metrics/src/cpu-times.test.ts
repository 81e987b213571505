import { readFile } from "node:fs/promises";
import os from "node:os";
import { describe, expect, it } from "vitest";
import { cpuUsage, parseProcStat, readCpuTimes } from "./cpu-times.ts";

const PROC_STAT = `cpu  16125 10 6292 182716 571 3 99 41 7 1
cpu0 7073 4 2803 92895 115 1 13 21 3 0
cpu1 9052 6 3489 89821 456 2 86 20 4 1
intr 706820 0 0 0
ctxt 1345301
`;

function spin(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    // burn CPU so the next reading has busy time in it
  }
}

describe("parseProcStat", () => {
  it("sums busy fields and keeps idle, iowait and steal apart, without guest time", () => {
    expect(parseProcStat(PROC_STAT)).toEqual({
      total: { busy: 16125 + 10 + 6292 + 3 + 99, idle: 182716, iowait: 571, steal: 41 },
      cores: [
        { busy: 7073 + 4 + 2803 + 1 + 13, idle: 92895, iowait: 115, steal: 21 },
        { busy: 9052 + 6 + 3489 + 2 + 86, idle: 89821, iowait: 456, steal: 20 },
      ],
    });
  });

  it("rejects text without the aggregate cpu line", () => {
    expect(() => parseProcStat("intr 1 2 3\n")).toThrow(/no aggregate 'cpu' line/);
  });
});

describe("readCpuTimes on this machine", () => {
  it("reads one entry per CPU, and the total is about the sum of the cores", async () => {
    const times = await readCpuTimes();
    expect(times.cores.length).toBe(os.cpus().length);
    const coreIdle = times.cores.reduce((sum, core) => sum + core.idle, 0);
    // The kernel sums the per-CPU counters at slightly different instants.
    expect(Math.abs(coreIdle - times.total.idle)).toBeLessThanOrEqual(times.cores.length * 10);
    const text = await readFile("/proc/stat", "utf8");
    expect(text.startsWith("cpu ")).toBe(true);
  });

  it("sees the busy time of a spinning loop in the usage between two readings", async () => {
    const before = await readCpuTimes();
    spin(300);
    const after = await readCpuTimes();
    const usage = cpuUsage(before.total, after.total);
    expect(usage).not.toBeNull();
    expect(usage!.usageRatio).toBeGreaterThan(0);
    expect(usage!.usageRatio).toBeLessThanOrEqual(1);
    expect(usage!.usageRatio + usage!.iowaitRatio + usage!.stealRatio).toBeLessThanOrEqual(1 + 1e-9);
  });
});

describe("cpuUsage", () => {
  it("computes shares of the elapsed ticks", () => {
    const prev = { busy: 100, idle: 100, iowait: 10, steal: 0 };
    const next = { busy: 160, idle: 120, iowait: 20, steal: 10 };
    expect(cpuUsage(prev, next)).toEqual({ usageRatio: 0.6, iowaitRatio: 0.1, stealRatio: 0.1 });
  });

  it("is null when no time passed", () => {
    const same = { busy: 1, idle: 2, iowait: 3, steal: 4 };
    expect(cpuUsage(same, same)).toBeNull();
  });

  it("ignores an iowait counter that went backwards", () => {
    const prev = { busy: 100, idle: 100, iowait: 50, steal: 0 };
    const next = { busy: 150, idle: 150, iowait: 40, steal: 0 };
    expect(cpuUsage(prev, next)).toEqual({ usageRatio: 0.5, iowaitRatio: 0, stealRatio: 0 });
  });
});
