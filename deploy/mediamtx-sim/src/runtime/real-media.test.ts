import { startSimulator } from "@mtx-fleet/testkit";
import { describe, expect, it } from "vitest";
import { eventually, httpCall } from "../test-support/http-call.ts";

describe("published media", () => {
  it("serves real HLS for a testsrc publisher and counts its bytes", async () => {
    await using sim = await startSimulator({ config: { paths: { cam: {} } } });
    await sim.control.publish("cam", "testsrc");
    const playlist = await fetch(`${sim.hlsUrl}/cam/index.m3u8`);
    expect([playlist.status, (await playlist.text()).startsWith("#EXTM3U")]).toEqual([200, true]);
    const p = (await httpCall(sim.apiUrl, "GET", "/v3/paths/get/cam")).json as Record<string, unknown>;
    expect([p.available, p.tracks]).toEqual([true, ["H264", "MPEG-4 Audio"]]);
    const bytes = await eventually(async () => {
      const q = (await httpCall(sim.apiUrl, "GET", "/v3/paths/get/cam")).json as { inboundBytes: number };
      return q.inboundBytes > 0 ? q.inboundBytes : undefined;
    });
    expect(bytes).toBeGreaterThan(0);
    await sim.control.unpublish("cam");
    await eventually(async () =>
      (await fetch(`${sim.hlsUrl}/cam/index.m3u8`)).status === 404 ? true : undefined,
    );
  });
});
