import { readFile } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** RSS and CPU of one process over a window, read from /proc (no sampling overhead in it). */
export interface ProcessFootprint {
  readonly rssAvgMb: number;
  readonly rssMaxMb: number;
  /** CPU time over wall time, in percent of one core. */
  readonly cpuPercent: number;
}

async function cpuTicks(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name (which may contain spaces) start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(fields[11]) + Number(fields[12]); // utime + stime
}

async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

/** Measures `pid` for `windowMs`, reading RSS every `everyMs`. */
export async function sampleProcess(pid: number, windowMs: number, everyMs = 500): Promise<ProcessFootprint> {
  const startTicks = await cpuTicks(pid);
  const started = performance.now();
  const rss: number[] = [];
  while (performance.now() - started < windowMs) {
    rss.push(await rssMb(pid));
    await sleep(everyMs);
  }
  const elapsedS = (performance.now() - started) / 1000;
  const ticks = (await cpuTicks(pid)) - startTicks;
  return {
    rssAvgMb: rss.reduce((a, b) => a + b, 0) / rss.length,
    rssMaxMb: Math.max(...rss),
    cpuPercent: (ticks / CLOCK_TICKS_PER_SECOND / elapsedS) * 100,
  };
}
