import type { Counter, Gauge, Histogram, MetricSpec, PluginMetrics } from "@mtx-fleet/plugin-api";
import {
  Counter as PromCounter,
  Gauge as PromGauge,
  Histogram as PromHistogram,
  type Registry,
} from "prom-client";
import type { PluginScope } from "./plugin-scope.ts";

/** `mtx_<plugin>_` with the plugin name in snake case. */
export function metricPrefix(pluginName: string): string {
  return `mtx_${pluginName.replaceAll(/[^a-zA-Z0-9]/g, "_")}_`;
}

/**
 * A plugin's metrics in the agent's registry: names get the plugin prefix, and every metric
 * is removed from the registry when the scope ends (a restarted plugin registers them again).
 */
export function createScopedMetrics(
  registry: Registry,
  pluginName: string,
  scope: PluginScope,
): PluginMetrics {
  const prefix = metricPrefix(pluginName);
  const register = <T>(spec: MetricSpec, make: (name: string, labelNames: string[]) => T): T => {
    const name = prefix + spec.name;
    const metric = make(name, [...(spec.labelNames ?? [])]);
    scope.add(() => registry.removeSingleMetric(name));
    return metric;
  };
  return {
    counter: (spec): Counter => {
      const metric = register(
        spec,
        (name, labelNames) => new PromCounter({ name, help: spec.help, labelNames, registers: [registry] }),
      );
      return { inc: (labels = {}, value = 1) => metric.inc(labels, value) };
    },
    gauge: (spec): Gauge => {
      const metric = register(
        spec,
        (name, labelNames) => new PromGauge({ name, help: spec.help, labelNames, registers: [registry] }),
      );
      return { set: (value, labels = {}) => metric.set(labels, value) };
    },
    histogram: (spec): Histogram => {
      const metric = register(
        spec,
        (name, labelNames) =>
          new PromHistogram({
            name,
            help: spec.help,
            labelNames,
            registers: [registry],
            ...(spec.buckets === undefined ? {} : { buckets: [...spec.buckets] }),
          }),
      );
      return { observe: (value, labels = {}) => metric.observe(labels, value) };
    },
  };
}
