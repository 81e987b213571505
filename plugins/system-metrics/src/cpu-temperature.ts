import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

/** The sysfs files the CPU temperature is read from (millidegrees); averaged when several. */
export interface TemperatureSensor {
  /** Where it was found, for the log (`hwmon:coretemp/Package id 0`, `thermal:cpu-thermal`). */
  readonly source: string;
  readonly files: readonly string[];
}

interface HwmonInput {
  readonly chip: string;
  readonly label: string;
  readonly file: string;
}

const CPU_CHIPS = new Set(["coretemp", "k10temp", "zenpower", "cpu_thermal", "cpu-thermal", "soc_thermal"]);

async function readText(file: string): Promise<string | undefined> {
  try {
    return (await readFile(file, "utf8")).trim();
  } catch {
    return undefined;
  }
}

async function listDir(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
  } catch {
    return [];
  }
}

async function hwmonInputs(sysRoot: string): Promise<HwmonInput[]> {
  const inputs: HwmonInput[] = [];
  const base = path.join(sysRoot, "class/hwmon");
  for (const hwmon of await listDir(base)) {
    const dir = path.join(base, hwmon);
    const chip = (await readText(path.join(dir, "name"))) ?? "";
    for (const entry of await listDir(dir)) {
      const match = /^temp(\d+)_input$/.exec(entry);
      if (!match) continue;
      const label = (await readText(path.join(dir, `temp${match[1]}_label`))) ?? "";
      inputs.push({ chip, label: label.toLowerCase(), file: path.join(dir, entry) });
    }
  }
  return inputs;
}

function pickHwmon(inputs: readonly HwmonInput[]): TemperatureSensor | null {
  // The package/die sensor is the CPU temperature; per-core sensors are the fallback.
  const preferred = [
    (i: HwmonInput) => i.label === "tdie",
    (i: HwmonInput) => i.label === "tctl",
    (i: HwmonInput) => i.label.startsWith("package id") || i.label.startsWith("physical id"),
    (i: HwmonInput) => i.label === "tccd1",
  ];
  for (const test of preferred) {
    const hit = inputs.find(test);
    if (hit) return { source: `hwmon:${hit.chip}/${hit.label}`, files: [hit.file] };
  }
  const cpu = inputs.filter((i) => CPU_CHIPS.has(i.chip));
  const cores = cpu.filter((i) => i.label.startsWith("core"));
  if (cores.length > 0) return { source: `hwmon:${cores[0]!.chip}/cores`, files: cores.map((i) => i.file) };
  const first = cpu[0];
  return first ? { source: `hwmon:${first.chip}`, files: [first.file] } : null;
}

async function pickThermalZone(sysRoot: string): Promise<TemperatureSensor | null> {
  const base = path.join(sysRoot, "class/thermal");
  for (const zone of await listDir(base)) {
    if (!zone.startsWith("thermal_zone")) continue;
    const type = ((await readText(path.join(base, zone, "type"))) ?? "").toLowerCase();
    if (type.includes("cpu") || type === "x86_pkg_temp" || type === "soc_thermal") {
      return { source: `thermal:${type}`, files: [path.join(base, zone, "temp")] };
    }
  }
  return null;
}

/**
 * Finds the CPU temperature sensor once, the way systeminformation's `cpuTemperature` chooses
 * (package/die sensor, then cores, then a CPU thermal zone), but by reading sysfs directly:
 * systeminformation runs shell pipelines through `execSync`, which would block the event loop
 * on every sample. `null` on machines without sensors (most VMs).
 */
export async function findCpuTemperatureSensor(sysRoot = "/sys"): Promise<TemperatureSensor | null> {
  return pickHwmon(await hwmonInputs(sysRoot)) ?? (await pickThermalZone(sysRoot));
}

/** Degrees Celsius from the sensor, or `null` when no file gives a plausible reading. */
export async function readCpuTemperature(sensor: TemperatureSensor): Promise<number | null> {
  const values: number[] = [];
  for (const file of sensor.files) {
    const celsius = Number(await readText(file)) / 1000;
    // Absent sensors read as 0 or fail with EIO/ENODATA; a running CPU is never at 0 °C.
    if (Number.isFinite(celsius) && celsius > 0 && celsius < 200) values.push(celsius);
  }
  if (values.length === 0) return null;
  return values.reduce((a, b) => a + b, 0) / values.length;
}
