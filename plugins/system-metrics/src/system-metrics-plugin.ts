import { definePlugin, type PluginHealth, type ScheduledTask } from "@mtx-fleet/plugin-api";
import { createSampleRecorder } from "./sample-recorder.ts";
import { systemMetricsConfig } from "./system-metrics-config.ts";
import type { SystemMetricsSample } from "./system-metrics-sample.ts";
import { createSystemSampler } from "./system-sampler.ts";

function diskHealth(sample: SystemMetricsSample): PluginHealth {
  const missing = sample.disks.flatMap((d) => (d.status === "ok" ? [] : [`${d.mount} (${d.reason})`]));
  if (missing.length === 0) return { status: "ok" };
  return { status: "degraded", reason: `watched disk unavailable: ${missing.join(", ")}` };
}

function reasonOf(health: PluginHealth): string | null {
  return health.status === "ok" ? null : health.reason;
}

/**
 * Host metrics: CPU, load, memory, network, watched disks and CPU temperature, sampled every
 * `intervalMs`, exported as `mtx_system_metrics_*` and emitted on the bus as `system.metrics`.
 */
export const systemMetricsPlugin = definePlugin({
  manifest: {
    name: "system-metrics",
    version: "0.1.0",
    apiRange: "^1.0.0",
    description: "CPU, memory, load, network, disk and temperature of the host",
  },
  config: systemMetricsConfig,
  setup(ctx, config) {
    const sampler = createSystemSampler({ clock: ctx.clock, ...config });
    const recorder = createSampleRecorder(ctx.metrics);
    let health: PluginHealth = { status: "ok" };
    let task: ScheduledTask | undefined;

    async function collect(signal: AbortSignal): Promise<void> {
      const sample = await sampler.sample();
      if (signal.aborted || ctx.signal.aborted) return;
      recorder.record(sample);
      const next = diskHealth(sample);
      const reason = reasonOf(next);
      // Log changes only, not every interval.
      if (reason !== reasonOf(health)) {
        if (reason === null) ctx.logger.info({}, "all watched disks readable again");
        else ctx.logger.warn({ disks: config.disks }, reason);
      }
      health = next;
      ctx.events.emit("system.metrics", sample);
    }

    return {
      start() {
        task = ctx.scheduler.every(config.intervalMs, collect, { immediate: true, jitter: 0.1 });
      },
      stop() {
        task?.cancel();
      },
      health: () => health,
    };
  },
});
