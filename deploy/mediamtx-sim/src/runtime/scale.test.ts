import { startSimulator } from "@mtx-fleet/testkit";
import { describe, expect, it } from "vitest";
import { httpCall } from "../test-support/http-call.ts";

describe("--scale", () => {
  it("serves 5,000 synthetic paths whose counters move", async () => {
    await using sim = await startSimulator({ scale: 5000, config: { paths: { all_others: {} } } });
    const list = async (q: string) =>
      (await httpCall(sim.apiUrl, "GET", `/v3/paths/list${q}`)).json as {
        itemCount: number;
        pageCount: number;
        items: Array<{ name: string; available: boolean; inboundBytes: number }>;
      };
    const first = await list("?itemsPerPage=1000");
    expect([first.itemCount, first.pageCount, first.items[0]?.name, first.items[999]?.name]).toEqual([
      5000,
      5,
      "scale/00000",
      "scale/00999",
    ]);
    expect(first.items.every((p) => p.available)).toBe(true);
    await new Promise((r) => setTimeout(r, 50));
    const again = await list("?itemsPerPage=1");
    expect(again.items[0]?.inboundBytes).toBeGreaterThan(first.items[0]?.inboundBytes ?? 0);
    const rtmp = (await httpCall(sim.apiUrl, "GET", "/v3/rtmpconns/list?itemsPerPage=1")).json as {
      itemCount: number;
    };
    expect(rtmp.itemCount).toBe(5000);
    const metrics = await (await fetch(`${sim.metricsUrl}/metrics?type=paths`)).text();
    expect(metrics.match(/^paths\{/gm)?.length).toBe(5000);
  });
});
