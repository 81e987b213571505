import { describe, expect, it } from "vitest";
import { FLEET_API_ROUTES, fleetIngest } from "./fleet-ingest.ts";

describe("fleetIngest", () => {
  it("runs real link clients against a real hub and reports what the hub received", async () => {
    const rows = await fleetIngest({
      sizes: [{ nodes: 3, paths: 5 }],
      intervalMs: 1_000,
      warmupMs: 1_500,
      windowMs: 3_000,
      apiRequests: 5,
      agentsPerProcess: 2,
      connectTimeoutMs: 20_000,
    });
    expect(rows.map((row) => row.name)).toEqual([
      "hub idle, no agents (baseline)",
      "3 agents × 5 paths / 1 s",
    ]);
    const [idle, loaded] = rows;
    expect(idle?.api.map((latency) => [latency.route, latency.requests])).toEqual(
      FLEET_API_ROUTES.map((route) => [route, 5]),
    );
    expect(loaded?.connected).toBe(3);
    expect(loaded?.hubStreams).toBe(15);
    expect(loaded?.hubTelemetryPerS).toBeGreaterThan(0);
    expect(loaded?.hubPathUpdatesPerS).toBe((loaded?.hubTelemetryPerS ?? 0) * 5);
    expect(loaded?.api.every((latency) => latency.requests > 0)).toBe(true);
  }, 60_000);

  it("runs the same against a hub keeping its state in the NATS KV store", async () => {
    const rows = await fleetIngest({
      sizes: [{ nodes: 3, paths: 5 }],
      intervalMs: 1_000,
      warmupMs: 1_500,
      windowMs: 3_000,
      apiRequests: 5,
      agentsPerProcess: 3,
      connectTimeoutMs: 20_000,
      nats: true,
    });
    const loaded = rows[1];
    expect([loaded?.connected, loaded?.hubStreams]).toEqual([3, 15]);
    expect(loaded?.hubTelemetryPerS).toBeGreaterThan(0);
  }, 60_000);
});
