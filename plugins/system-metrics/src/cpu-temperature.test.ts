import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { findCpuTemperatureSensor, readCpuTemperature } from "./cpu-temperature.ts";

let root: string;

/** Writes files of a fake sysfs tree: `{ "class/hwmon/hwmon0/name": "coretemp" }`. */
async function sysfs(files: Record<string, string>): Promise<void> {
  for (const [file, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), `${content}\n`);
  }
}

async function temperatureOf(): Promise<{ source: string; celsius: number | null } | null> {
  const sensor = await findCpuTemperatureSensor(root);
  return sensor && { source: sensor.source, celsius: await readCpuTemperature(sensor) };
}

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "sysfs-"));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("CPU temperature from sysfs", () => {
  it("prefers the Intel package sensor over cores and other chips", async () => {
    await sysfs({
      "class/hwmon/hwmon0/name": "nvme",
      "class/hwmon/hwmon0/temp1_input": "38850",
      "class/hwmon/hwmon0/temp1_label": "Composite",
      "class/hwmon/hwmon1/name": "coretemp",
      "class/hwmon/hwmon1/temp1_input": "52000",
      "class/hwmon/hwmon1/temp1_label": "Package id 0",
      "class/hwmon/hwmon1/temp2_input": "49000",
      "class/hwmon/hwmon1/temp2_label": "Core 0",
    });
    expect(await temperatureOf()).toEqual({ source: "hwmon:coretemp/package id 0", celsius: 52 });
  });

  it("reads Tctl of AMD k10temp", async () => {
    await sysfs({
      "class/hwmon/hwmon2/name": "k10temp",
      "class/hwmon/hwmon2/temp1_input": "61250",
      "class/hwmon/hwmon2/temp1_label": "Tctl",
      "class/hwmon/hwmon2/temp3_input": "58000",
      "class/hwmon/hwmon2/temp3_label": "Tccd1",
    });
    expect(await temperatureOf()).toEqual({ source: "hwmon:k10temp/tctl", celsius: 61.25 });
  });

  it("averages per-core sensors when there is no package sensor", async () => {
    await sysfs({
      "class/hwmon/hwmon0/name": "coretemp",
      "class/hwmon/hwmon0/temp2_input": "40000",
      "class/hwmon/hwmon0/temp2_label": "Core 0",
      "class/hwmon/hwmon0/temp3_input": "44000",
      "class/hwmon/hwmon0/temp3_label": "Core 1",
    });
    expect(await temperatureOf()).toEqual({ source: "hwmon:coretemp/cores", celsius: 42 });
  });

  it("falls back to a CPU thermal zone (Raspberry Pi)", async () => {
    await sysfs({
      "class/thermal/thermal_zone0/type": "cpu-thermal",
      "class/thermal/thermal_zone0/temp": "47236",
    });
    expect(await temperatureOf()).toEqual({ source: "thermal:cpu-thermal", celsius: 47.236 });
  });

  it("finds nothing on a machine without sensors, and ignores non-CPU zones", async () => {
    await sysfs({
      "class/thermal/thermal_zone0/type": "acpitz",
      "class/thermal/thermal_zone0/temp": "27800",
    });
    expect(await temperatureOf()).toBeNull();
  });

  it("reads null, not 0, from a sensor that reports 0 or vanished", async () => {
    await sysfs({
      "class/thermal/thermal_zone0/type": "x86_pkg_temp",
      "class/thermal/thermal_zone0/temp": "0",
    });
    expect(await temperatureOf()).toEqual({ source: "thermal:x86_pkg_temp", celsius: null });
    await rm(path.join(root, "class"), { recursive: true });
    expect(
      await readCpuTemperature({ source: "x", files: [path.join(root, "class/thermal/thermal_zone0/temp")] }),
    ).toBeNull();
  });

  it("gives a plausible reading or none on this machine", async () => {
    const sensor = await findCpuTemperatureSensor();
    const celsius = sensor && (await readCpuTemperature(sensor));
    expect(celsius === null || (celsius > 0 && celsius < 200)).toBe(true);
  });
});
