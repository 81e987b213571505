import { readFile } from "node:fs/promises";

/** Cumulative counters of one network interface since it appeared (`/proc/net/dev`). */
export interface InterfaceCounters {
  readonly interface: string;
  readonly receiveBytes: number;
  readonly receivePackets: number;
  readonly receiveErrors: number;
  readonly receiveDrops: number;
  readonly transmitBytes: number;
  readonly transmitPackets: number;
  readonly transmitErrors: number;
  readonly transmitDrops: number;
}

/**
 * Parses Linux `/proc/net/dev`: two header lines, then `name: 8 receive fields 8 transmit
 * fields`. Old kernels glue large numbers to the colon (`eth0:123`), so split on the colon.
 */
export function parseNetDev(text: string): InterfaceCounters[] {
  const result: InterfaceCounters[] = [];
  for (const line of text.split("\n").slice(2)) {
    const colon = line.indexOf(":");
    if (colon === -1) continue;
    const f = line
      .slice(colon + 1)
      .trim()
      .split(/\s+/)
      .map(Number);
    if (f.length < 16 || f.some(Number.isNaN)) continue;
    result.push({
      interface: line.slice(0, colon).trim(),
      receiveBytes: f[0]!,
      receivePackets: f[1]!,
      receiveErrors: f[2]!,
      receiveDrops: f[3]!,
      transmitBytes: f[8]!,
      transmitPackets: f[9]!,
      transmitErrors: f[10]!,
      transmitDrops: f[11]!,
    });
  }
  return result;
}

/** Reads `/proc/net/dev` (one small read; systeminformation spawns `cat` per interface). */
export async function readNetDev(procRoot = "/proc"): Promise<InterfaceCounters[]> {
  return parseNetDev(await readFile(`${procRoot}/net/dev`, "utf8"));
}

/** Bytes per second of one interface between two readings. */
export interface InterfaceRates {
  readonly receiveBytesPerSecond: number;
  readonly transmitBytesPerSecond: number;
}

/**
 * Rates between two readings taken `seconds` apart, or `null` when they cannot be told (no
 * time passed, or a counter went backwards because the interface was re-created).
 */
export function interfaceRates(
  prev: InterfaceCounters,
  next: InterfaceCounters,
  seconds: number,
): InterfaceRates | null {
  const rx = next.receiveBytes - prev.receiveBytes;
  const tx = next.transmitBytes - prev.transmitBytes;
  if (seconds <= 0 || rx < 0 || tx < 0) return null;
  return { receiveBytesPerSecond: rx / seconds, transmitBytesPerSecond: tx / seconds };
}
