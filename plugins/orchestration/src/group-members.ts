import { readdir, readFile } from "node:fs/promises";

/** A process as /proc shows it. */
export interface ProcEntry {
  readonly pid: number;
  readonly ppid: number;
  readonly pgid: number;
  /** `R`, `S`, `D`, `Z` (zombie: exited, waiting for its parent to reap it)… */
  readonly state: string;
  readonly comm: string;
  /** Clock ticks after boot when it started; with the pid, identifies one process over time. */
  readonly startTicks: number;
}

/** Parses `/proc/<pid>/stat`; `comm` may hold spaces and parentheses, so split after the last `)`. */
export function parseProcStat(text: string): ProcEntry | null {
  const open = text.indexOf("(");
  const close = text.lastIndexOf(")");
  if (open === -1 || close === -1) return null;
  const fields = text.slice(close + 2).split(" ");
  const pid = Number(text.slice(0, open).trim());
  // After comm: state(3) ppid(4) pgrp(5) … starttime(22), numbered as in proc(5).
  const [state = "", ppid, pgid] = fields;
  const startTicks = Number(fields[19]);
  if (!Number.isInteger(pid) || !Number.isFinite(startTicks)) return null;
  return {
    pid,
    ppid: Number(ppid),
    pgid: Number(pgid),
    state,
    comm: text.slice(open + 1, close),
    startTicks,
  };
}

/** One process from /proc, or null when it is gone (or this is not Linux). */
export async function readProc(pid: number, procRoot = "/proc"): Promise<ProcEntry | null> {
  try {
    return parseProcStat(await readFile(`${procRoot}/${pid}/stat`, "utf8"));
  } catch {
    return null;
  }
}

/** Every process whose process group is one of `pgids` (zombies included, marked by `state`). */
export async function groupMembers(pgids: Iterable<number>, procRoot = "/proc"): Promise<ProcEntry[]> {
  const wanted = new Set(pgids);
  if (wanted.size === 0) return [];
  let names: string[];
  try {
    names = await readdir(procRoot);
  } catch {
    return [];
  }
  const entries = await Promise.all(
    names.filter((n) => /^\d+$/.test(n)).map((n) => readProc(Number(n), procRoot)),
  );
  return entries.filter((e): e is ProcEntry => e !== null && wanted.has(e.pgid));
}
