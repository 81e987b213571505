// How a plugin author tests a plugin: in the agent's real host, against the MediaMTX simulator.
import { startPluginHarness } from "@mtx-fleet/agent/testing";
import { startSimulator } from "@mtx-fleet/testkit";
import { describe, expect, it } from "vitest";
import streamCounter from "./stream-counter-plugin.ts";

describe("stream-counter example plugin", () => {
  it("counts available streams from the shared snapshot and serves them on its route", async () => {
    await using sim = await startSimulator({ config: { paths: { "cam/1": {}, "cam/2": {} } } });
    await using harness = await startPluginHarness(
      [{ definition: streamCounter, config: { logEveryChange: true } }],
      {
        mediamtxUrl: sim.apiUrl,
        pollIntervalMs: 200,
      },
    );
    expect(harness.status("stream-counter")?.state.kind).toBe("running");
    const changed = harness.next("stream-counter.changed");
    await sim.control.publish("cam/1", "synthetic");
    expect(await changed).toEqual({ available: 1, total: 2 });

    const route = harness.host.route("stream-counter", "GET", "/counts");
    expect(
      await route?.({ method: "GET", path: "/counts", query: {}, body: undefined, requestId: "r1" }),
    ).toEqual({
      body: { available: 1, total: 2 },
    });
    expect(await harness.metrics()).toContain("mtx_stream_counter_available_streams 1");
    expect(await harness.host.health("stream-counter")).toEqual({ status: "ok" });
  });
});
