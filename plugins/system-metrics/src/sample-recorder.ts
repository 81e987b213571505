import type { Counter, Gauge, MetricLabels, MetricSpec, PluginMetrics } from "@mtx-fleet/plugin-api";
import type { InterfaceCounters } from "./net-dev.ts";
import type { SystemMetricsSample } from "./system-metrics-sample.ts";

/** Writes samples into the plugin's Prometheus metrics. */
export interface SampleRecorder {
  record(sample: SystemMetricsSample): void;
}

type GaugeSetter = (value: number, labels?: MetricLabels) => void;

/**
 * A gauge registered on its first value: an unlabelled gauge that was never set would be exported
 * as 0, and "no temperature sensor" or "no CPU reading yet" must be absent, not 0.
 */
function lazyGauge(metrics: PluginMetrics, spec: MetricSpec): GaugeSetter {
  let gauge: Gauge | undefined;
  return (value, labels) => {
    gauge ??= metrics.gauge(spec);
    gauge.set(value, labels);
  };
}

/**
 * A counter that follows a kernel counter: the first reading adds the whole value (so the
 * counter equals the kernel's), later ones the growth; after a reset (interface re-created)
 * the new value is all growth.
 */
function mirroredCounter(metrics: PluginMetrics, spec: MetricSpec): GaugeSetter {
  const counter: Counter = metrics.counter(spec);
  const last = new Map<string, number>();
  return (value, labels = {}) => {
    const key = JSON.stringify(labels);
    const prev = last.get(key);
    last.set(key, value);
    counter.inc(labels, prev === undefined || value < prev ? value : value - prev);
  };
}

const NET_COUNTERS = [
  ["receiveBytes", "network_receive_bytes_total", "Bytes received"],
  ["transmitBytes", "network_transmit_bytes_total", "Bytes sent"],
  ["receivePackets", "network_receive_packets_total", "Packets received"],
  ["transmitPackets", "network_transmit_packets_total", "Packets sent"],
  ["receiveErrors", "network_receive_errors_total", "Receive errors"],
  ["transmitErrors", "network_transmit_errors_total", "Transmit errors"],
  ["receiveDrops", "network_receive_drops_total", "Received packets dropped"],
  ["transmitDrops", "network_transmit_drops_total", "Packets dropped before sending"],
] as const satisfies readonly (readonly [keyof InterfaceCounters, string, string])[];

const DISK_GAUGES = [
  ["totalBytes", "disk_total_bytes", "Size of the file system holding the watched path"],
  ["freeBytes", "disk_free_bytes", "Space left for unprivileged writers (df Avail)"],
  ["usedBytes", "disk_used_bytes", "Space in use"],
  ["usedRatio", "disk_used_ratio", "used / (used + free), as df's Use%"],
  ["inodesTotal", "disk_inodes_total", "Inodes of the file system"],
  ["inodesFree", "disk_inodes_free", "Inodes left"],
] as const;

/** Registers the plugin's metrics (names without the `mtx_system_metrics_` prefix). */
export function createSampleRecorder(metrics: PluginMetrics): SampleRecorder {
  const g = (name: string, help: string, labelNames?: readonly string[]) =>
    metrics.gauge(labelNames ? { name, help, labelNames } : { name, help });
  const hostInfo = g("host_info", "Static facts of the host; value 1", [
    "distro",
    "release",
    "kernel",
    "arch",
    "cpu_model",
  ]);
  const cpuCores = g("cpu_cores", "Logical CPUs");
  const cpuUsage = lazyGauge(metrics, {
    name: "cpu_usage_ratio",
    help: "CPU busy share over the last interval (0-1)",
  });
  const cpuIowait = lazyGauge(metrics, { name: "cpu_iowait_ratio", help: "CPU share waiting for I/O (0-1)" });
  const cpuSteal = lazyGauge(metrics, {
    name: "cpu_steal_ratio",
    help: "CPU share stolen by the hypervisor (0-1)",
  });
  const coreUsage = lazyGauge(metrics, {
    name: "cpu_core_usage_ratio",
    help: "Busy share of one CPU over the last interval (0-1)",
    labelNames: ["cpu"],
  });
  const temperature = lazyGauge(metrics, {
    name: "cpu_temperature_celsius",
    help: "CPU package temperature",
  });
  const load = {
    load1: g("load1", "Load average, 1 min"),
    load5: g("load5", "Load average, 5 min"),
    load15: g("load15", "Load average, 15 min"),
  };
  const memory = {
    totalBytes: g("memory_total_bytes", "Physical memory"),
    availableBytes: g("memory_available_bytes", "Memory available without swapping (MemAvailable)"),
    usedBytes: g("memory_used_bytes", "Memory total minus available"),
    swapTotalBytes: g("swap_total_bytes", "Swap space"),
    swapFreeBytes: g("swap_free_bytes", "Swap space unused"),
  };
  const net = NET_COUNTERS.map(
    ([field, name, help]) =>
      [field, mirroredCounter(metrics, { name, help, labelNames: ["interface"] })] as const,
  );
  const diskPresent = g("disk_present", "1 when the watched path's file system can be read, else 0", [
    "mount",
  ]);
  const disk = DISK_GAUGES.map(([field, name, help]) => [field, g(name, help, ["mount"])] as const);

  return {
    record(sample) {
      const { host } = sample;
      hostInfo.set(1, {
        distro: host.distro,
        release: host.release,
        kernel: host.kernel,
        arch: host.arch,
        cpu_model: host.cpuModel,
      });
      cpuCores.set(host.cpuCores);
      if (sample.cpu) {
        cpuUsage(sample.cpu.usageRatio);
        cpuIowait(sample.cpu.iowaitRatio);
        cpuSteal(sample.cpu.stealRatio);
      }
      for (const [i, core] of sample.cpuCores.entries()) {
        if (core) coreUsage(core.usageRatio, { cpu: String(i) });
      }
      if (sample.temperatureCelsius !== null) temperature(sample.temperatureCelsius);
      load.load1.set(sample.load.load1);
      load.load5.set(sample.load.load5);
      load.load15.set(sample.load.load15);
      for (const [field, gauge] of Object.entries(memory))
        gauge.set(sample.memory[field as keyof typeof memory]);
      for (const iface of sample.network) {
        for (const [field, counter] of net) counter(iface[field], { interface: iface.interface });
      }
      for (const d of sample.disks) {
        diskPresent.set(d.status === "ok" ? 1 : 0, { mount: d.mount });
        if (d.status !== "ok") continue;
        for (const [field, gauge] of disk) gauge.set(d[field], { mount: d.mount });
      }
    },
  };
}
