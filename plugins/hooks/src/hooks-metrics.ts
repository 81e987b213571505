import type { Counter, Gauge, PluginMetrics } from "@mtx-fleet/plugin-api";

/** The plugin's metrics (exported as `mtx_hooks_*`). */
export interface HooksMetrics {
  readonly stored: Counter;
  readonly duplicates: Counter;
  readonly refused: Counter;
  readonly corrupt: Counter;
  readonly spooled: Gauge;
}

export function createHooksMetrics(metrics: PluginMetrics): HooksMetrics {
  return {
    stored: metrics.counter({ name: "events_total", help: "Hooks stored", labelNames: ["hook", "origin"] }),
    duplicates: metrics.counter({
      name: "duplicates_total",
      help: "Hooks whose id was already stored (wrapper retries, spool replays)",
      labelNames: ["origin"],
    }),
    refused: metrics.counter({
      name: "refused_total",
      help: "Receiver requests refused",
      labelNames: ["reason"],
    }),
    corrupt: metrics.counter({ name: "spool_corrupt_total", help: "Spool files moved aside unreadable" }),
    spooled: metrics.gauge({ name: "spool_files", help: "Event files in the spool at the last drain" }),
  };
}
