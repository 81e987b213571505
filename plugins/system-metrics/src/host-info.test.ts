import { readFile } from "node:fs/promises";
import os from "node:os";
import { describe, expect, it } from "vitest";
import { parseOsRelease, physicalCores, readHostInfo } from "./host-info.ts";

describe("host info", () => {
  it("parses os-release with quoted and bare values", () => {
    expect(parseOsRelease('NAME="Debian GNU/Linux"\nVERSION_ID="12"\nID=debian\n# comment\n')).toEqual({
      NAME: "Debian GNU/Linux",
      VERSION_ID: "12",
      ID: "debian",
    });
  });

  it("counts physical cores as distinct (physical id, core id) pairs", () => {
    const cpu = (p: number, c: number) => `processor\t: x\nphysical id\t: ${p}\ncore id\t\t: ${c}\n`;
    expect(physicalCores([cpu(0, 0), cpu(0, 0), cpu(0, 1), cpu(1, 0)].join("\n"))).toBe(3);
    expect(physicalCores("processor : 0\n")).toBeUndefined();
  });

  it("reads this machine's facts, consistent with node:os and /etc/os-release", async () => {
    const info = await readHostInfo();
    const release = parseOsRelease(await readFile("/etc/os-release", "utf8"));
    expect({ distro: info.distro, kernel: info.kernel, arch: info.arch, cores: info.cpuCores }).toEqual({
      distro: release.NAME,
      kernel: os.release(),
      arch: os.arch(),
      cores: os.availableParallelism(),
    });
    expect(info.cpuPhysicalCores).toBeLessThanOrEqual(info.cpuCores);
  });
});
