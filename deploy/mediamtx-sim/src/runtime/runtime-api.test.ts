import { startSimulator } from "@mtx-fleet/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, httpCall, simConfigText } from "../test-support/http-call.ts";

type Sim = Awaited<ReturnType<typeof startSimulator>>;
type ApiPath = Record<string, unknown> & { name: string; readers: Array<{ type: string; id: string }> };

describe("runtime paths, sessions and the control endpoint (v1.20.1)", () => {
  let sim: Sim;
  beforeAll(async () => {
    sim = await startSimulator({
      configText: simConfigText({
        paths: {
          zeta: {},
          alpha: {},
          pulled: { source: "rtsp://10.255.255.1:554/none" },
          "~^cam/(\\d+)$": {},
          solo: { overridePublisher: false, maxReaders: 1 },
        },
      }),
    });
  });
  afterAll(async () => {
    await sim[Symbol.asyncDispose]();
  });
  const api = (method: string, route: string, body?: unknown) => httpCall(sim.apiUrl, method, route, body);
  const control = (method: string, route: string, body?: unknown) =>
    httpCall(sim.controlUrl, method, route, body);
  const path = async (name: string) => (await api("GET", `/v3/paths/get/${name}`)).json as ApiPath;

  it("lists every literal configured path, idle ones unavailable, sorted by name", async () => {
    const list = (await api("GET", "/v3/paths/list")).json as { itemCount: number; items: ApiPath[] };
    expect(list.items.map((p) => p.name)).toEqual(["alpha", "pulled", "solo", "zeta"]);
    expect(list.items[0]).toEqual({
      name: "alpha",
      confName: "alpha",
      source: null,
      available: false,
      availableTime: null,
      online: false,
      onlineTime: null,
      ready: false,
      readyTime: null,
      tracks: [],
      tracks2: [],
      inboundBytes: 0,
      outboundBytes: 0,
      inboundFramesInError: 0,
      bytesReceived: 0,
      bytesSent: 0,
      readers: [],
    });
  });

  it("shows a pulled source as online but not available (trap 9)", async () => {
    const p = await path("pulled");
    expect([p.online, p.available, p.source, p.onlineTime]).toEqual([
      true,
      false,
      { type: "rtspSource", id: "" },
      "0001-01-01T00:00:00Z",
    ]);
  });

  it("publishes on a regex path, moves counters, and drops the path when unpublished", async () => {
    await sim.control.publish("cam/7", "synthetic", { sourceType: "rtspSession" });
    const p = await path("cam/7");
    expect([p.confName, p.available, p.online, (p.source as { type: string }).type]).toEqual([
      "~^cam/(\\d+)$",
      true,
      true,
      "rtspSession",
    ]);
    expect(p.tracks).toEqual(["H264", "MPEG-4 Audio"]);
    const grown = await eventually(async () => {
      const q = await path("cam/7");
      return (q.inboundBytes as number) > (p.inboundBytes as number) ? q : undefined;
    });
    expect(grown.bytesReceived).toBe(grown.inboundBytes);
    const sessions = (await api("GET", "/v3/rtspsessions/list")).json as {
      items: Array<Record<string, unknown>>;
    };
    const session = sessions.items.find((s) => s.path === "cam/7");
    expect(session).toMatchObject({ state: "publish", id: (p.source as { id: string }).id });
    const conns = (await api("GET", "/v3/rtspconns/list")).json as { items: Array<Record<string, unknown>> };
    expect(conns.items.map((c) => c.session)).toContain(session?.id);
    await sim.control.unpublish("cam/7");
    expect((await api("GET", "/v3/paths/get/cam/7")).status).toBe(404);
    expect(((await api("GET", "/v3/rtspsessions/list")).json as { itemCount: number }).itemCount).toBe(0);
  });

  it("refuses to publish on an unconfigured path", async () => {
    const r = await control("POST", "/paths/publish", { path: "nothing/here", scenario: "synthetic" });
    expect([r.status, r.json]).toEqual([400, { error: "path 'nothing/here' is not configured" }]);
  });

  it("lists readers sorted by type then id, as sessions of their type", async () => {
    await sim.control.publish("alpha", "synthetic");
    const ids = [
      (await sim.control.addReader("alpha", "webRTCSession")).id,
      (await sim.control.addReader("alpha", "hlsSession")).id,
      (await sim.control.addReader("alpha", "rtspSession")).id,
      (await sim.control.addReader("alpha", "hlsSession")).id,
    ];
    const p = await path("alpha");
    expect(p.readers.map((r) => r.type)).toEqual([
      "hlsSession",
      "hlsSession",
      "rtspSession",
      "webRTCSession",
    ]);
    expect(p.readers.map((r) => r.id).sort()).toEqual([...ids].sort());
    const hls = (await api("GET", "/v3/hlssessions/list")).json as { itemCount: number };
    expect(hls.itemCount).toBe(2);
    const muxer = (await api("GET", "/v3/hlsmuxers/get/alpha")).json as Record<string, unknown>;
    expect(muxer.path).toBe("alpha");
    await sim.control.removeReader("alpha", ids[0] ?? "");
    expect((await path("alpha")).readers.length).toBe(3);
  });

  it("kicking the publisher makes the path unavailable and drops its readers", async () => {
    const rtmp = (await api("GET", "/v3/rtmpconns/list")).json as {
      items: Array<{ id: string; path: string; state: string }>;
    };
    const pub = rtmp.items.find((c) => c.path === "alpha" && c.state === "publish");
    expect((await api("POST", `/v3/rtmpconns/kick/${pub?.id}`)).json).toEqual({ status: "ok" });
    const p = await path("alpha");
    expect([p.available, p.readers, p.inboundBytes]).toEqual([false, [], 0]);
    expect((await api("GET", `/v3/rtmpconns/get/${pub?.id}`)).status).toBe(404);
  });

  it("enforces overridePublisher: false and maxReaders", async () => {
    await sim.control.publish("solo", "synthetic");
    const again = await control("POST", "/paths/publish", { path: "solo", scenario: "synthetic" });
    expect([again.status, again.json]).toEqual([
      400,
      { error: "someone is already publishing to path 'solo'" },
    ]);
    await sim.control.addReader("solo");
    const second = await control("POST", "/paths/readers/add", { path: "solo" });
    expect([second.status, second.json]).toEqual([400, { error: "maximum reader count reached" }]);
  });

  it("a second publisher replaces the first when overridePublisher is on", async () => {
    await sim.control.publish("zeta", "synthetic");
    const first = (await path("zeta")).source as { id: string };
    await sim.control.publish("zeta", "synthetic", { sourceType: "srtConn" });
    const second = (await path("zeta")).source as { id: string; type: string };
    expect(second.type).toBe("srtConn");
    expect(second.id).not.toBe(first.id);
    const srt = (await api("GET", `/v3/srtconns/get/${second.id}`)).json as Record<string, unknown>;
    expect([srt.state, srt.path, typeof srt.msRTT]).toEqual(["publish", "zeta", "number"]);
  });

  it("the stalled scenario keeps the path available while bytes stop", async () => {
    await sim.control.setScenario("zeta", "stalled");
    const a = (await path("zeta")).inboundBytes;
    await new Promise((r) => setTimeout(r, 150));
    const b = await path("zeta");
    expect([b.available, b.inboundBytes]).toEqual([true, a]);
  });

  it("paginates runtime paths", async () => {
    const r = (await api("GET", "/v3/paths/list?itemsPerPage=2&page=1")).json as {
      itemCount: number;
      pageCount: number;
      items: ApiPath[];
    };
    expect([r.itemCount, r.pageCount, r.items.map((p) => p.name)]).toEqual([4, 2, ["solo", "zeta"]]);
  });

  it("injects faults on matching API requests only, the given number of times", async () => {
    await sim.control.fault({
      route: "/v3/paths/list",
      query: { page: "1" },
      kind: "status",
      status: 503,
      times: 2,
    });
    expect((await api("GET", "/v3/paths/list")).status).toBe(200);
    expect((await api("GET", "/v3/paths/list?page=1")).status).toBe(503);
    expect((await api("GET", "/v3/paths/list?page=1")).status).toBe(503);
    expect((await api("GET", "/v3/paths/list?page=1")).status).toBe(200);
    await sim.control.fault({ route: "/v3/info", kind: "reset" });
    await expect(api("GET", "/v3/info")).rejects.toThrow();
    await sim.control.fault({ route: "/v3/info", kind: "delay", delayMs: 200 });
    const t0 = Date.now();
    expect((await api("GET", "/v3/info")).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(150);
  });

  it("restart resets counters, closes paths and renews `started`", async () => {
    const before = ((await api("GET", "/v3/info")).json as { started: string }).started;
    await api("POST", "/v3/config/paths/add/temp", {});
    await new Promise((r) => setTimeout(r, 50));
    await sim.control.restart();
    const after = ((await api("GET", "/v3/info")).json as { started: string }).started;
    expect(after).not.toBe(before);
    const list = (await api("GET", "/v3/paths/list")).json as { items: ApiPath[] };
    expect(list.items.map((p) => [p.name, p.available, p.inboundBytes])).toEqual([
      ["alpha", false, 0],
      ["pulled", false, 0],
      ["solo", false, 0],
      ["zeta", false, 0],
    ]);
    expect((await api("GET", "/v3/config/paths/get/temp")).status).toBe(404);
  });
});
