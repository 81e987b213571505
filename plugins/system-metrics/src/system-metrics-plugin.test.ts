import { mkdtemp, rm, statfs } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { type PluginHarness, startPluginHarness } from "@mtx-fleet/agent/testing";
import { type MetricLabels, MtxError, type PluginDefinition, parseConfig } from "@mtx-fleet/plugin-api";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_EXCLUDED_INTERFACES } from "./system-metrics-config.ts";
import { systemMetricsPlugin } from "./system-metrics-plugin.ts";
import type { SystemMetricsSample } from "./system-metrics-sample.ts";

/** A gauge or counter value as the agent's registry holds it (plugin prefix added by the host). */
async function metric(
  harness: PluginHarness,
  name: string,
  labels: MetricLabels = {},
): Promise<number | undefined> {
  const found = harness.registry.getSingleMetric(`mtx_system_metrics_${name}`);
  if (found === undefined) return undefined;
  const { values } = await found.get();
  const wanted = JSON.stringify(labels);
  return values.find((v) => JSON.stringify(v.labels) === wanted)?.value;
}

function nextEvents(harness: PluginHarness, count: number): Promise<SystemMetricsSample[]> {
  const seen: SystemMetricsSample[] = [];
  return new Promise((resolve) => {
    const off = harness.bus.on("system.metrics", (payload) => {
      seen.push(payload as SystemMetricsSample);
      if (seen.length === count) {
        off();
        resolve(seen);
      }
    });
  });
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "system-metrics-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("system-metrics config", () => {
  it("fills defaults", () => {
    expect(parseConfig(systemMetricsPlugin.config, {})).toEqual({
      intervalMs: 10_000,
      disks: ["/"],
      temperature: true,
      perCore: false,
      excludeInterfaces: DEFAULT_EXCLUDED_INTERFACES,
    });
  });

  it("refuses intervals under a second and unknown options", () => {
    const parse = () =>
      parseConfig(systemMetricsPlugin.config, { intervalMs: 100, disk: "/" }, "plugins.system-metrics");
    expect(parse).toThrow(MtxError);
    expect(parse).toThrow(
      "invalid plugins.system-metrics: plugins.system-metrics.disk: unknown option (remove it or check its spelling); " +
        "plugins.system-metrics.intervalMs must be >= 1000",
    );
  });
});

describe("system-metrics plugin", () => {
  it("samples on schedule, exports gauges and counters, emits system.metrics and reports a missing disk", async () => {
    const missing = path.join(dir, "recordings");
    const definition = systemMetricsPlugin as unknown as PluginDefinition;
    await using harness = await startPluginHarness([
      { definition, config: { intervalMs: 1000, disks: ["/", missing], perCore: true } },
    ]);
    const [first, second] = (await nextEvents(harness, 2)) as [SystemMetricsSample, SystemMetricsSample];

    // Usage and rates need two readings: absent on the first, present on the second.
    expect(first.cpu).toBeNull();
    expect(first.network.every((i) => i.rates === null)).toBe(true);
    expect(second.cpu!.usageRatio).toBeGreaterThanOrEqual(0);
    expect(second.cpuCores).toHaveLength(os.availableParallelism());
    expect(second.network.map((i) => i.interface)).not.toContain("lo");
    expect(second.network.every((i) => i.rates !== null)).toBe(true);
    expect(second.disks.map((d) => [d.mount, d.status])).toEqual([
      ["/", "ok"],
      [missing, "unavailable"],
    ]);

    expect(await metric(harness, "cpu_core_usage_ratio", { cpu: "0" })).toBeTypeOf("number");
    expect(await metric(harness, "memory_total_bytes")).toBe(os.totalmem());
    expect(await metric(harness, "cpu_usage_ratio")).toBeTypeOf("number");
    for (const iface of second.network) {
      // Counters mirror the kernel's totals (read again by a later sample, so never lower).
      expect(
        await metric(harness, "network_receive_bytes_total", { interface: iface.interface }),
      ).toBeGreaterThanOrEqual(iface.receiveBytes);
    }
    const root = await statfs("/");
    expect(await metric(harness, "disk_total_bytes", { mount: "/" })).toBe(root.blocks * root.bsize);
    expect(await metric(harness, "disk_present", { mount: "/" })).toBe(1);
    expect(await metric(harness, "disk_present", { mount: missing })).toBe(0);
    expect(await metric(harness, "disk_free_bytes", { mount: missing })).toBeUndefined();

    expect(await harness.host.health("system-metrics")).toEqual({
      status: "degraded",
      reason: `watched disk unavailable: ${missing} (ENOENT: no such file or directory, statfs '${missing}')`,
    });
    // Logged once on the change, not on every sample.
    expect(harness.logs().filter((l) => l.level === 40 && l.plugin === "system-metrics")).toHaveLength(1);
  });

  it("stops sampling and removes its metrics when stopped", async () => {
    const definition = systemMetricsPlugin as unknown as PluginDefinition;
    await using harness = await startPluginHarness([{ definition, config: { intervalMs: 1000 } }]);
    await nextEvents(harness, 1);
    expect(await harness.host.health("system-metrics")).toEqual({ status: "ok" });
    await harness.host.stop();
    let late = 0;
    harness.bus.on("system.metrics", () => void late++);
    await new Promise((resolve) => setTimeout(resolve, 1300));
    expect([late, (await harness.metrics()).includes("mtx_system_metrics_")]).toEqual([0, false]);
  });
});
