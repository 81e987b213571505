import type { PluginMetrics } from "@mtx-fleet/plugin-api";
import type { WorkerStatus } from "./worker-spec.ts";

/** What the orchestrator reports on `/metrics` (`mtx_orchestration_*`). */
export interface OrchestrationMetrics {
  /** Sets the running counts per (kind, name) from the current workers. */
  running(workers: readonly WorkerStatus[]): void;
  restarted(kind: string, name: string): void;
  exited(kind: string, name: string): void;
  /** From the ready hook's occurredAt to the worker's spawn. */
  startLatency(kind: string, seconds: number): void;
}

const HAS_PROCESS = new Set(["running", "grace", "stopping"]);

export function createOrchestrationMetrics(metrics: PluginMetrics): OrchestrationMetrics {
  const running = metrics.gauge({
    name: "workers_running",
    help: "Worker and forwarder processes running now (grace included)",
    labelNames: ["kind", "name"],
  });
  const restarts = metrics.counter({
    name: "worker_restarts_total",
    help: "Processes started again after an exit (backoff) or by an operator",
    labelNames: ["kind", "name"],
  });
  const exits = metrics.counter({
    name: "worker_exits_total",
    help: "Processes that exited by themselves (not stopped)",
    labelNames: ["kind", "name"],
  });
  const latency = metrics.histogram({
    name: "worker_start_latency_seconds",
    help: "From the ready hook (its occurredAt) to the worker's process running",
    labelNames: ["kind"],
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  });
  // Names seen once keep a series at 0 instead of freezing at their last count.
  const seen = new Map<string, { kind: string; name: string }>();
  return {
    running(workers) {
      const counts = new Map<string, number>();
      for (const w of workers) {
        const key = `${w.kind}\u0000${w.name}`;
        seen.set(key, { kind: w.kind, name: w.name });
        counts.set(key, (counts.get(key) ?? 0) + (HAS_PROCESS.has(w.state) ? 1 : 0));
      }
      for (const [key, labels] of seen) running.set(counts.get(key) ?? 0, labels);
    },
    restarted: (kind, name) => restarts.inc({ kind, name }),
    exited: (kind, name) => exits.inc({ kind, name }),
    startLatency: (kind, seconds) => latency.observe(seconds, { kind }),
  };
}
