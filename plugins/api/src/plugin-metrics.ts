/** Label names and values of one sample. */
export type MetricLabels = Readonly<Record<string, string>>;

export interface Counter {
  inc(labels?: MetricLabels, value?: number): void;
}
export interface Gauge {
  set(value: number, labels?: MetricLabels): void;
}
export interface Histogram {
  observe(value: number, labels?: MetricLabels): void;
}

/** Declaration of a metric; its name is prefixed with `mtx_<plugin>_` by the host. */
export interface MetricSpec {
  readonly name: string;
  readonly help: string;
  readonly labelNames?: readonly string[];
}

/**
 * Prometheus metrics for a plugin, served on the agent's `/metrics`. Names get the plugin's
 * prefix; everything a plugin registered is removed when it stops.
 */
export interface PluginMetrics {
  counter(spec: MetricSpec): Counter;
  gauge(spec: MetricSpec): Gauge;
  histogram(spec: MetricSpec & { readonly buckets?: readonly number[] }): Histogram;
}
