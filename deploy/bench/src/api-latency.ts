import type { StartedHub } from "@mtx-fleet/testkit";

/** Latency of sequential calls to one route. */
export interface ApiLatency {
  readonly route: string;
  readonly requests: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

/** The value at percentile `p` (0..1) of sorted `values` (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? Number.NaN;
}

/**
 * Calls each route in turn, one request at a time (what an operator's UI does), `requests`
 * times each or until `deadlineMs` (epoch) passes; every answer must be 200.
 */
export async function apiLatency(
  hub: StartedHub,
  routes: readonly string[],
  requests: number,
  deadlineMs = Number.POSITIVE_INFINITY,
): Promise<ApiLatency[]> {
  const samples = new Map<string, number[]>(routes.map((route) => [route, []]));
  for (let i = 0; i < requests && Date.now() < deadlineMs; i++) {
    for (const route of routes) {
      const started = performance.now();
      const res = await hub.request("GET", route);
      const elapsedMs = performance.now() - started;
      if (res.status !== 200) throw new Error(`GET ${route} answered ${res.status}: the benchmark would lie`);
      samples.get(route)?.push(elapsedMs);
    }
  }
  return routes.map((route) => {
    const sorted = [...(samples.get(route) ?? [])].sort((a, b) => a - b);
    return {
      route,
      requests: sorted.length,
      p50Ms: percentile(sorted, 0.5),
      p99Ms: percentile(sorted, 0.99),
      maxMs: sorted.at(-1) ?? Number.NaN,
    };
  });
}
