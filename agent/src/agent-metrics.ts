import type { SnapshotPoller } from "@mtx-fleet/mediamtx";
import { Gauge, type Registry } from "prom-client";
import type { Outbox } from "./outbox/index.ts";

/** Agent-level gauges, read at scrape time from the poller and the outbox. */
export function registerAgentMetrics(
  registry: Registry,
  sources: { poller: SnapshotPoller; outbox: Outbox },
): void {
  const { poller, outbox } = sources;
  const registers = [registry];
  new Gauge({
    name: "mtx_agent_mediamtx_up",
    help: "1 when the last poll of the MediaMTX Control API succeeded",
    registers,
    collect() {
      const current = poller.current();
      this.set(current !== null && current.consecutiveFailures === 0 ? 1 : 0);
    },
  });
  new Gauge({
    name: "mtx_agent_mediamtx_snapshot_age_seconds",
    help: "Age of the last good MediaMTX snapshot (-1 before the first)",
    registers,
    collect() {
      this.set((poller.current()?.ageMs ?? -1000) / 1000);
    },
  });
  new Gauge({
    name: "mtx_agent_mediamtx_poll_failures",
    help: "Consecutive failed polls of the MediaMTX Control API",
    registers,
    collect() {
      this.set(poller.current()?.consecutiveFailures ?? 0);
    },
  });
  new Gauge({
    name: "mtx_agent_mediamtx_paths",
    help: "Paths in the last good snapshot",
    registers,
    collect() {
      this.set(poller.current()?.snapshot.paths.length ?? 0);
    },
  });
  const outboxGauge = (
    name: string,
    help: string,
    read: (s: ReturnType<Outbox["stats"]>) => number,
  ): void => {
    new Gauge({
      name,
      help,
      registers,
      collect() {
        this.set(read(outbox.stats()));
      },
    });
  };
  outboxGauge("mtx_agent_outbox_records", "Events stored in the outbox", (s) => s.records);
  outboxGauge("mtx_agent_outbox_bytes", "Bytes of the outbox on disk", (s) => s.bytes);
  outboxGauge(
    "mtx_agent_outbox_pending",
    "Events not yet delivered to the hub",
    (s) => s.newestSeq - s.deliveredSeq,
  );
  outboxGauge(
    "mtx_agent_outbox_dropped_total",
    "Undelivered events dropped by the size/age bounds",
    (s) => s.dropped,
  );
}
