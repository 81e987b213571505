import os from "node:os";
import type { Clock } from "@mtx-fleet/plugin-api";
import { findCpuTemperatureSensor, readCpuTemperature, type TemperatureSensor } from "./cpu-temperature.ts";
import { type CpuTimesSnapshot, cpuUsage, readCpuTimes } from "./cpu-times.ts";
import { diskUsage } from "./disk-usage.ts";
import { type HostInfo, readHostInfo } from "./host-info.ts";
import { readMemoryUsage } from "./memory-usage.ts";
import { type InterfaceCounters, interfaceRates, readNetDev } from "./net-dev.ts";
import type { SystemMetricsSample } from "./system-metrics-sample.ts";

/** What to collect and where from. */
export interface SystemSamplerOptions {
  readonly clock: Clock;
  /** Paths whose file systems are watched. */
  readonly disks: readonly string[];
  readonly perCore: boolean;
  readonly temperature: boolean;
  /** Interface name prefixes left out (loopback, container veths, bridges). */
  readonly excludeInterfaces: readonly string[];
  readonly procRoot?: string;
  readonly sysRoot?: string;
}

/** Collects host samples; keeps the previous reading to turn counters into usage and rates. */
export interface SystemSampler {
  sample(): Promise<SystemMetricsSample>;
  /** Where the temperature comes from, once the first sample looked for it. */
  readonly temperatureSource: string | null;
}

/** Creates a sampler; it reads nothing until the first `sample()`. */
export function createSystemSampler(options: SystemSamplerOptions): SystemSampler {
  const { clock, procRoot = "/proc", sysRoot = "/sys" } = options;
  let host: HostInfo | undefined;
  let sensor: TemperatureSensor | null | undefined;
  let prevCpu: CpuTimesSnapshot | undefined;
  let prevNet = new Map<string, InterfaceCounters>();
  let prevMonotonicMs = 0;

  const watched = (name: string) => !options.excludeInterfaces.some((prefix) => name.startsWith(prefix));

  async function temperature(): Promise<number | null> {
    if (!options.temperature) return null;
    // Looked up once: a VM without sensors pays nothing after the first sample.
    sensor ??= await findCpuTemperatureSensor(sysRoot);
    return sensor === null ? null : readCpuTemperature(sensor);
  }

  return {
    get temperatureSource() {
      return sensor?.source ?? null;
    },
    async sample() {
      host ??= await readHostInfo();
      const monotonicMs = clock.monotonicMs();
      const [cpu, memory, net, disks, temperatureCelsius] = await Promise.all([
        readCpuTimes(procRoot),
        readMemoryUsage(procRoot),
        readNetDev(procRoot),
        Promise.all(options.disks.map(diskUsage)),
        temperature(),
      ]);
      const seconds = (monotonicMs - prevMonotonicMs) / 1000;
      const interfaces = net.filter((i) => watched(i.interface));
      const network = interfaces.map((counters) => {
        const prev = prevNet.get(counters.interface);
        return { ...counters, rates: prev ? interfaceRates(prev, counters, seconds) : null };
      });
      const before = prevCpu;
      const cpuCores = !options.perCore
        ? []
        : cpu.cores.map((core, i) => {
            const prevCore = before?.cores[i];
            return prevCore ? cpuUsage(prevCore, core) : null;
          });
      prevCpu = cpu;
      prevNet = new Map(interfaces.map((i) => [i.interface, i]));
      prevMonotonicMs = monotonicMs;
      const [load1 = 0, load5 = 0, load15 = 0] = os.loadavg();
      return {
        timestampMs: clock.now(),
        host,
        cpu: before ? cpuUsage(before.total, cpu.total) : null,
        cpuCores,
        load: { load1, load5, load15 },
        memory,
        network,
        disks,
        temperatureCelsius,
      };
    },
  };
}
