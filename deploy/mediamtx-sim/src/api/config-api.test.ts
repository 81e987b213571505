import { startSimulator } from "@mtx-fleet/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, httpCall } from "../test-support/http-call.ts";

type Sim = Awaited<ReturnType<typeof startSimulator>>;

describe("Control API config semantics (v1.20.1)", () => {
  let sim: Sim;
  beforeAll(async () => {
    sim = await startSimulator({
      config: {
        authInternalUsers: [
          { user: "any", ips: ["127.0.0.1", "::1"], permissions: [{ action: "api" }, { action: "metrics" }] },
          { user: "admin", pass: "s3cret", permissions: [{ action: "publish" }] },
        ],
        paths: {
          "site/cam1": {
            maxReaders: 2,
            publishUser: "u",
            publishPass: "p",
            source: "rtsp://user:pw@10.0.0.1/x",
          },
          "~^reg(\\d+)$": {},
        },
      },
    });
  });
  afterAll(async () => {
    await sim[Symbol.asyncDispose]();
  });
  const api = (method: string, route: string, body?: unknown) => httpCall(sim.apiUrl, method, route, body);
  const getPath = async (name: string) =>
    (await api("GET", `/v3/config/paths/get/${name}`)).json as Record<string, unknown>;
  const settle = () => new Promise((r) => setTimeout(r, 100));

  it("redacts user, publish and read passwords but no other secret", async () => {
    const g = (await api("GET", "/v3/config/global/get")).json as {
      authInternalUsers: Array<{ pass: string }>;
    };
    expect(g.authInternalUsers.map((u) => u.pass)).toEqual(["", "<redacted>"]);
    const p = await getPath("site/cam1");
    expect([p.publishPass, p.publishUser, p.source]).toEqual([
      "<redacted>",
      "u",
      "rtsp://user:pw@10.0.0.1/x",
    ]);
  });

  it("returns the merged view with every key, durations and sizes rendered", async () => {
    const p = await getPath("site/cam1");
    expect(p).toMatchObject({
      name: "site/cam1",
      maxReaders: 2,
      recordDeleteAfter: "1d",
      recordSegmentDuration: "1h0m0s",
      recordMaxPartSize: "50M",
      overridePublisher: true,
    });
    expect(p).not.toHaveProperty("runOnReady");
  });

  it("accepts percent-encoded names and regex names", async () => {
    expect((await getPath("site%2Fcam1")).name).toBe("site/cam1");
    expect((await getPath(encodeURIComponent("~^reg(\\d+)$"))).name).toBe("~^reg(\\d+)$");
  });

  it("answers 200 before applying, then the change becomes visible", async () => {
    // A simulator of its own with a long apply delay: with the default 15 ms, a loaded machine
    // can take longer than that between the write and the read, and the read sees the change.
    await using slow = await startSimulator({ applyDelayMs: 1_500 });
    const call = (method: string, route: string, body?: unknown) =>
      httpCall(slow.apiUrl, method, route, body);
    const write = await call("POST", "/v3/config/paths/add/later", { record: true });
    expect(write.json).toEqual({ status: "ok" });
    expect((await call("GET", "/v3/config/paths/get/later")).status).toBe(404);
    const p = await eventually(async () => {
      const r = await call("GET", "/v3/config/paths/get/later");
      return r.status === 200 ? (r.json as Record<string, unknown>) : undefined;
    });
    expect(p.record).toBe(true);
  });

  it("serialises writes: a patch right after an add builds on it", async () => {
    await api("POST", "/v3/config/paths/add/chain", { maxReaders: 1 });
    expect((await api("PATCH", "/v3/config/paths/patch/chain", { record: true })).json).toEqual({
      status: "ok",
    });
    await settle();
    expect(await getPath("chain")).toMatchObject({ maxReaders: 1, record: true });
  });

  it("PATCH null leaves a value unchanged; replace resets to defaults + body and upserts", async () => {
    await api("PATCH", "/v3/config/paths/patch/site/cam1", { maxReaders: null, record: true });
    await settle();
    expect(await getPath("site/cam1")).toMatchObject({ maxReaders: 2, record: true });
    expect((await api("POST", "/v3/config/paths/replace/site/cam1", { maxReaders: 5 })).json).toEqual({
      status: "ok",
    });
    expect((await api("POST", "/v3/config/paths/replace/brand/new", {})).json).toEqual({ status: "ok" });
    await settle();
    expect(await getPath("site/cam1")).toMatchObject({ maxReaders: 5, record: false, source: "publisher" });
    expect((await getPath("brand/new")).name).toBe("brand/new");
  });

  it("a provided slice replaces the whole slice", async () => {
    await api("PATCH", "/v3/config/global/patch", { apiTrustedProxies: ["10.0.0.1", "10.0.0.0/8"] });
    await api("PATCH", "/v3/config/global/patch", { apiTrustedProxies: ["192.168.1.1"] });
    await settle();
    const g = (await api("GET", "/v3/config/global/get")).json as Record<string, unknown>;
    expect(g.apiTrustedProxies).toEqual(["192.168.1.1/32"]);
  });

  it("a validation failure changes nothing", async () => {
    const r = await api("PATCH", "/v3/config/pathdefaults/patch", { recordDeleteAfter: "1s" });
    expect(r.json).toEqual({
      status: "error",
      error: "'recordDeleteAfter' cannot be lower than 'recordSegmentDuration'",
    });
    await settle();
    expect(
      ((await api("GET", "/v3/config/pathdefaults/get")).json as Record<string, unknown>).recordDeleteAfter,
    ).toBe("1d");
  });

  it("paginates 250+ path configs sorted by name", async () => {
    for (let i = 0; i < 260; i++)
      await api("POST", `/v3/config/paths/add/bulk/${String(i).padStart(3, "0")}`, {});
    await settle();
    const list = async (q: string) =>
      (await api("GET", `/v3/config/paths/list${q}`)).json as {
        itemCount: number;
        pageCount: number;
        items: Array<{ name: string }>;
      };
    const first = await list("");
    expect([first.items.length, first.pageCount]).toEqual([100, Math.ceil(first.itemCount / 100)]);
    const all = [] as string[];
    for (let page = 0; page < first.pageCount; page++)
      all.push(...(await list(`?page=${page}`)).items.map((x) => x.name));
    expect(all).toEqual([...all].sort());
    expect(all.filter((n) => n.startsWith("bulk/")).length).toBe(260);
    expect(await list(`?page=${first.pageCount}`)).toEqual({
      itemCount: first.itemCount,
      pageCount: first.pageCount,
      items: [],
    });
  });

  it("echoes deprecated keys next to their replacement", async () => {
    await api("POST", "/v3/config/paths/add/old", { runOnReady: "echo x", disablePublisherOverride: true });
    const p = await eventually(async () => {
      const r = await api("GET", "/v3/config/paths/get/old");
      return r.status === 200 ? (r.json as Record<string, unknown>) : undefined;
    });
    expect([p.runOnReady, p.runOnAvailable, p.disablePublisherOverride, p.overridePublisher]).toEqual([
      "echo x",
      "echo x",
      true,
      false,
    ]);
  });

  it("redirects a trailing slash like gin", async () => {
    const r = await fetch(`${sim.apiUrl}/v3/paths/list/`, { redirect: "manual" });
    expect([r.status, r.headers.get("location")]).toEqual([301, "/v3/paths/list"]);
  });

  it("deletes a path config", async () => {
    expect((await api("DELETE", "/v3/config/paths/delete/chain")).json).toEqual({ status: "ok" });
    await eventually(async () =>
      (await api("GET", "/v3/config/paths/get/chain")).status === 404 ? true : undefined,
    );
  });
});
