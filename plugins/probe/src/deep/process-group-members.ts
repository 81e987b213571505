import { readdir, readFile } from "node:fs/promises";

/** USER_HZ: the unit of utime/stime in /proc/<pid>/stat on Linux. */
const CLOCK_TICKS_PER_SECOND = 100;

/** One live (or zombie) process of a process group, as /proc shows it. */
export interface GroupMember {
  readonly pid: number;
  readonly ppid: number;
  /** `R`, `S`, `D`, `Z` (zombie: exited, not reaped yet)… */
  readonly state: string;
  /** utime + stime of the process itself, ms. */
  readonly cpuMs: number;
}

/** Parses /proc/<pid>/stat; the command name may hold spaces and ')' so fields start after the last ')'. */
function parseStat(pid: number, text: string): { member: GroupMember; pgrp: number } | undefined {
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  const [state, ppid, pgrp] = [fields[0], Number(fields[1]), Number(fields[2])];
  if (state === undefined || !Number.isInteger(pgrp)) return undefined;
  const ticks = Number(fields[11]) + Number(fields[12]);
  return { member: { pid, ppid, state, cpuMs: (ticks * 1000) / CLOCK_TICKS_PER_SECOND }, pgrp };
}

/**
 * Every process whose process group is `pgid`, read from /proc (Linux). A process that exits
 * while we scan is skipped. Used to kill a probe's tree and to prove nothing of it is left.
 */
export async function processGroupMembers(pgid: number): Promise<GroupMember[]> {
  const entries = await readdir("/proc");
  const members = await Promise.all(
    entries
      .filter((name) => /^\d+$/.test(name))
      .map(async (name) => {
        const text = await readFile(`/proc/${name}/stat`, "utf8").catch(() => undefined);
        const parsed = text === undefined ? undefined : parseStat(Number(name), text);
        return parsed?.pgrp === pgid ? parsed.member : undefined;
      }),
  );
  return members.filter((m): m is GroupMember => m !== undefined);
}
