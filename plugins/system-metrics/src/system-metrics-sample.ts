import type { CpuUsage } from "./cpu-times.ts";
import type { DiskUsage } from "./disk-usage.ts";
import type { HostInfo } from "./host-info.ts";
import type { MemoryUsage } from "./memory-usage.ts";
import type { InterfaceCounters, InterfaceRates } from "./net-dev.ts";

/** One interface: its cumulative counters and, from the second sample on, its rates. */
export interface InterfaceSample extends InterfaceCounters {
  /** `null` on the first sample and after the interface's counters were reset. */
  readonly rates: InterfaceRates | null;
}

/** One reading of the host, emitted on the bus as `system.metrics` after each collection. */
export interface SystemMetricsSample {
  /** Wall clock of the reading, ms since the epoch. */
  readonly timestampMs: number;
  readonly host: HostInfo;
  /** Usage since the previous sample; `null` on the first. */
  readonly cpu: CpuUsage | null;
  /** Per-CPU usage (index = CPU number); empty unless `perCore` is configured. */
  readonly cpuCores: readonly (CpuUsage | null)[];
  readonly load: { readonly load1: number; readonly load5: number; readonly load15: number };
  readonly memory: MemoryUsage;
  readonly network: readonly InterfaceSample[];
  /** One entry per configured path, in config order. */
  readonly disks: readonly DiskUsage[];
  /** CPU temperature in °C; `null` where the machine has no sensor (most VMs) or it is off. */
  readonly temperatureCelsius: number | null;
}

declare module "@mtx-fleet/plugin-api" {
  interface MtxEvents {
    /** The latest host reading of the system-metrics plugin. */
    "system.metrics": SystemMetricsSample;
  }
}
