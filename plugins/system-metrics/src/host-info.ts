import { readFile } from "node:fs/promises";
import os from "node:os";

/** What the machine is; read once when the plugin starts. */
export interface HostInfo {
  readonly distro: string;
  readonly release: string;
  readonly kernel: string;
  readonly arch: string;
  readonly cpuModel: string;
  readonly cpuCores: number;
  readonly cpuPhysicalCores: number;
}

/** `KEY="value"` lines of os-release(5). */
export function parseOsRelease(text: string): Readonly<Record<string, string>> {
  const fields: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const match = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (match?.[1] === undefined || match[2] === undefined) continue;
    fields[match[1]] = match[2].replace(/^(["'])(.*)\1$/, "$2");
  }
  return fields;
}

/** Physical cores from /proc/cpuinfo: distinct (physical id, core id) pairs. */
export function physicalCores(cpuinfo: string): number | undefined {
  const pairs = new Set<string>();
  for (const block of cpuinfo.split(/\n\s*\n/)) {
    const physical = /^physical id\s*:\s*(\d+)/m.exec(block)?.[1];
    const core = /^core id\s*:\s*(\d+)/m.exec(block)?.[1];
    if (physical !== undefined && core !== undefined) pairs.add(`${physical}:${core}`);
  }
  return pairs.size > 0 ? pairs.size : undefined;
}

/**
 * Reads the host's static facts from os-release(5), /proc/cpuinfo and `node:os` — no child
 * processes, no extra library (systeminformation spawns commands for the same files and costs
 * ~5 MB of resident memory for a value read once).
 */
export async function readHostInfo(root = "/"): Promise<HostInfo> {
  const read = (file: string): Promise<string> => readFile(`${root}${file}`, "utf8").catch(() => "");
  const [osRelease, cpuinfo] = await Promise.all([
    read("etc/os-release").then((text) => (text === "" ? read("usr/lib/os-release") : text)),
    read("proc/cpuinfo"),
  ]);
  const release = parseOsRelease(osRelease);
  const cores = os.availableParallelism();
  return {
    distro: release.NAME ?? os.type(),
    release: release.VERSION_ID ?? release.VERSION ?? os.release(),
    kernel: os.release(),
    arch: os.arch(),
    cpuModel: os.cpus()[0]?.model?.trim() || "unknown",
    cpuCores: cores,
    cpuPhysicalCores: physicalCores(cpuinfo) ?? cores,
  };
}
