import { STREAM_VERDICTS } from "@mtx-fleet/plugin-api";
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
    help: "Streams known from telemetry, by availability (available, unavailable, unknown) and status (the verdict)",
    labelNames: ["availability", "status"],
    registers,
    async collect() {
      this.reset();
      const { items } = await fleet.listStreams({}, { page: 0, perPage: Number.MAX_SAFE_INTEGER });
      // Every pair is set (0 when none), so a series never vanishes when its last stream changes.
      for (const availability of ["available", "unavailable", "unknown"] as const) {
        for (const status of STREAM_VERDICTS) {
          const count = items.filter((s) => s.availability === availability && s.status === status).length;
          this.set({ availability, status }, count);
        }
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
