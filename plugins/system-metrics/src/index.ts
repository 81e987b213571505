export { findCpuTemperatureSensor, readCpuTemperature, type TemperatureSensor } from "./cpu-temperature.ts";
export {
  type CpuTimes,
  type CpuTimesSnapshot,
  type CpuUsage,
  cpuUsage,
  parseProcStat,
  readCpuTimes,
} from "./cpu-times.ts";
export { type DiskUsage, diskUsage } from "./disk-usage.ts";
export { type HostInfo, readHostInfo } from "./host-info.ts";
export { type MemoryUsage, parseMeminfo, readMemoryUsage } from "./memory-usage.ts";
export {
  type InterfaceCounters,
  type InterfaceRates,
  interfaceRates,
  parseNetDev,
  readNetDev,
} from "./net-dev.ts";
export {
  DEFAULT_EXCLUDED_INTERFACES,
  type SystemMetricsConfig,
  systemMetricsConfig,
} from "./system-metrics-config.ts";
/** The plugin under the name the agent looks for when a config names this package as `module`. */
export { systemMetricsPlugin as plugin, systemMetricsPlugin } from "./system-metrics-plugin.ts";
export type { InterfaceSample, SystemMetricsSample } from "./system-metrics-sample.ts";
