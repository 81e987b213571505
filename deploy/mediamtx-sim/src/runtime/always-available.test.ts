import { startSimulator } from "@mtx-fleet/testkit";
import { describe, expect, it } from "vitest";
import { httpCall } from "../test-support/http-call.ts";

describe("alwaysAvailable paths", () => {
  it("are available but offline without a publisher, online once one attaches", async () => {
    await using sim = await startSimulator({
      config: { paths: { always: { alwaysAvailable: true, alwaysAvailableTracks: [{ codec: "H264" }] } } },
    });
    const get = async () =>
      (await httpCall(sim.apiUrl, "GET", "/v3/paths/get/always")).json as Record<string, unknown>;
    const idle = await get();
    expect([idle.available, idle.online, idle.source, idle.tracks]).toEqual([true, false, null, ["H264"]]);
    await sim.control.publish("always", "synthetic");
    const live = await get();
    expect([live.available, live.online]).toEqual([true, true]);
  });
});
