import { startSimulator } from "@mtx-fleet/testkit";
import { describe, expect, it } from "vitest";
import { eventually, httpCall, simConfigText } from "../test-support/http-call.ts";

type Recording = { name: string; segments: Array<{ start: string }> };

describe("/v3/recordings with a recording path", () => {
  it("lists, gets and deletes segments and serves them over playback", async () => {
    await using sim = await startSimulator({
      configText: simConfigText({
        paths: {
          rec: {
            record: true,
            recordPartDuration: "200ms",
            runOnRecordSegmentCreate: "sh -c 'echo $MTX_SEGMENT_PATH >> created.log'",
          },
          empty: {},
        },
      }),
    });
    const api = (m: string, r: string) => httpCall(sim.apiUrl, m, r);
    expect((await api("GET", "/v3/recordings/get/empty")).json).toEqual({ name: "empty", segments: [] });
    const unconfigured = await api("GET", "/v3/recordings/get/nope");
    expect([unconfigured.status, unconfigured.json]).toEqual([
      400,
      { status: "error", error: "path 'nope' is not configured" },
    ]);

    await sim.control.publish("rec", "testsrc");
    const rec = await eventually(async () => {
      const r = (await api("GET", "/v3/recordings/get/rec")).json as Recording;
      return r.segments.length > 0 ? r : undefined;
    }, 15_000);
    const list = (await api("GET", "/v3/recordings/list")).json as { itemCount: number; items: Recording[] };
    expect(list.items.map((i) => i.name)).toEqual(["rec"]);
    await sim.control.unpublish("rec");
    const spans = await eventually(async () => {
      const r = await httpCall(sim.playbackUrl, "GET", "/list?path=rec");
      return r.status === 200
        ? (r.json as Array<{ start: string; duration: number; url: string }>)
        : undefined;
    });
    expect(spans.length).toBeGreaterThan(0);
    expect(spans[0]?.url).toMatch(/\/get\?.*path=rec/);
    const none = await httpCall(sim.playbackUrl, "GET", "/list?path=empty");
    expect([none.status, none.json]).toEqual([
      404,
      { status: "error", error: "no recording segments found" },
    ]);
    const start = rec.segments[0]?.start ?? "";
    await eventually(async () => {
      const r = await api(
        "DELETE",
        `/v3/recordings/deletesegment?path=rec&start=${encodeURIComponent(start)}`,
      );
      return r.status === 200 ? r : undefined;
    });
    const after = (await api("GET", "/v3/recordings/get/rec")).json as Recording;
    expect(after.segments.map((s) => s.start)).not.toContain(start);
  }, 30_000);
});
