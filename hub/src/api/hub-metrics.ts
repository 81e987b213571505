import { Counter, collectDefaultMetrics, Gauge, type Registry } from "prom-client";
import type { FleetService } from "../fleet/fleet-service.ts";

/** `mtx_hub_*` metrics: process figures plus fleet gauges read at scrape time. */
export function registerHubMetrics(registry: Registry, fleet: FleetService): void {
  collectDefaultMetrics({ register: registry, prefix: "mtx_hub_" });
  const registers = [registry];
  new Gauge({
    name: "mtx_hub_nodes",
    help: "Nodes by link state (online, stale, offline)",
    labelNames: ["state"],
    registers,
    async collect() {
      for (const [state, count] of Object.entries(await fleet.connectivityCounts()))
        this.set({ state }, count);
    },
  });
  new Gauge({
    name: "mtx_hub_streams",
    help: "Streams known from telemetry, by status",
    labelNames: ["status"],
    registers,
    async collect() {
      this.reset();
      const { items } = await fleet.listStreams({}, { page: 0, perPage: Number.MAX_SAFE_INTEGER });
      for (const status of ["available", "unavailable", "unknown"] as const) {
        this.set({ status }, items.filter((stream) => stream.status === status).length);
      }
    },
  });
  new Counter({
    name: "mtx_hub_ingest_total",
    help: "Telemetry messages and events received since start (what=telemetry|events_stored|events_duplicate|events_skipped)",
    labelNames: ["what"],
    registers,
    collect() {
      // The fleet service counts; the counter mirrors it at scrape time.
      this.reset();
      for (const [what, count] of Object.entries(fleet.stats())) this.inc({ what }, count);
    },
  });
}
