import { readFile } from "node:fs/promises";
import os from "node:os";

/** Cumulative CPU time of one CPU (or of all, for `total`), in clock ticks or milliseconds. */
export interface CpuTimes {
  /** Time doing work (user, nice, system, irq, softirq; guest time is already in user). */
  readonly busy: number;
  /** Time idle, not counting I/O wait. */
  readonly idle: number;
  readonly iowait: number;
  /** Time stolen by the hypervisor (VMs). */
  readonly steal: number;
}

/** CPU times of the whole machine and of each CPU, as read at one instant. */
export interface CpuTimesSnapshot {
  readonly total: CpuTimes;
  readonly cores: readonly CpuTimes[];
}

function toTimes(fields: readonly number[]): CpuTimes {
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields;
  return { busy: user + nice + system + irq + softirq, idle, iowait, steal };
}

/** Parses the `cpu` lines of Linux `/proc/stat` (see proc(5)). */
export function parseProcStat(text: string): CpuTimesSnapshot {
  let total: CpuTimes | undefined;
  const cores: CpuTimes[] = [];
  for (const line of text.split("\n")) {
    if (!line.startsWith("cpu")) continue;
    const [label = "", ...rest] = line.trim().split(/\s+/);
    const times = toTimes(rest.map(Number));
    if (label === "cpu") total = times;
    else cores[Number(label.slice(3))] = times;
  }
  if (total === undefined) throw new Error("no aggregate 'cpu' line in /proc/stat");
  return { total, cores };
}

function fromOsCpus(): CpuTimesSnapshot {
  const cores = os.cpus().map(({ times }) => ({
    busy: times.user + times.nice + times.sys + times.irq,
    idle: times.idle,
    iowait: 0,
    steal: 0,
  }));
  const sum = (key: keyof CpuTimes) => cores.reduce((acc, core) => acc + core[key], 0);
  return { total: { busy: sum("busy"), idle: sum("idle"), iowait: 0, steal: 0 }, cores };
}

/**
 * Reads the CPU times: one small read of `/proc/stat` on Linux (cheaper than `os.cpus()`, which
 * also parses `/proc/cpuinfo`, and than systeminformation, which spawns `cat`); `os.cpus()`
 * elsewhere.
 */
export async function readCpuTimes(procRoot = "/proc"): Promise<CpuTimesSnapshot> {
  try {
    return parseProcStat(await readFile(`${procRoot}/stat`, "utf8"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return fromOsCpus();
    throw error;
  }
}

/** Shares of an interval spent busy, in I/O wait and stolen; each 0–1. */
export interface CpuUsage {
  readonly usageRatio: number;
  readonly iowaitRatio: number;
  readonly stealRatio: number;
}

/**
 * CPU usage between two readings, or `null` when no time passed between them. Per-field deltas
 * are clamped at 0: Linux lets `iowait` go backwards on tickless kernels.
 */
export function cpuUsage(prev: CpuTimes, next: CpuTimes): CpuUsage | null {
  const delta = (key: keyof CpuTimes) => Math.max(0, next[key] - prev[key]);
  const busy = delta("busy");
  const iowait = delta("iowait");
  const steal = delta("steal");
  const elapsed = busy + delta("idle") + iowait + steal;
  if (elapsed === 0) return null;
  return { usageRatio: busy / elapsed, iowaitRatio: iowait / elapsed, stealRatio: steal / elapsed };
}
