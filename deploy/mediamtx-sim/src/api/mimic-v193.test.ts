import { startSimulator } from "@mtx-fleet/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { httpCall } from "../test-support/http-call.ts";

type Sim = Awaited<ReturnType<typeof startSimulator>>;

describe("--mimic v1.9.3", () => {
  let sim: Sim;
  beforeAll(async () => {
    sim = await startSimulator({
      mimic: "v1.9.3",
      config: {
        authInternalUsers: [
          { user: "any", ips: ["127.0.0.1"], permissions: [{ action: "api" }, { action: "metrics" }] },
          { user: "bob", pass: "pw", permissions: [{ action: "read" }] },
        ],
        paths: { cam: { runOnReady: "echo hi" }, "~^live/.*$": {} },
      },
    });
  });
  afterAll(async () => {
    await sim[Symbol.asyncDispose]();
  });
  const api = (method: string, route: string, body?: unknown) => httpCall(sim.apiUrl, method, route, body);

  it("has no /v3/info", async () => {
    const r = await api("GET", "/v3/info");
    expect([r.status, r.text]).toEqual([404, "404 page not found"]);
  });

  it("answers writes with an empty body and errors without status", async () => {
    const ok = await api("POST", "/v3/config/paths/add/new", {});
    expect([ok.status, ok.text]).toEqual([200, ""]);
    const bad = await api("POST", "/v3/config/paths/add/x", { runOnAvailable: "x" });
    expect([bad.status, bad.json]).toEqual([400, { error: 'json: unknown field "runOnAvailable"' }]);
    const missing = await api("GET", "/v3/paths/get/nope");
    expect([missing.status, missing.json]).toEqual([404, { error: "path not found" }]);
  });

  it("shows a write at once (no apply delay before v1.20.1) and does not redact", async () => {
    await api("PATCH", "/v3/config/paths/patch/cam", { maxReaders: 4 });
    const p = (await api("GET", "/v3/config/paths/get/cam")).json as Record<string, unknown>;
    expect([p.maxReaders, p.runOnReady, p.recordDeleteAfter]).toEqual([4, "echo hi", "24h0m0s"]);
    const g = (await api("GET", "/v3/config/global/get")).json as {
      authInternalUsers: Array<{ pass: string }>;
    };
    expect(g.authInternalUsers.map((u) => u.pass)).toEqual(["", "pw"]);
  });

  it("renders v1.9.3 path and connection objects", async () => {
    await sim.control.publish("live/1", "synthetic");
    const p = (await api("GET", "/v3/paths/get/live/1")).json as Record<string, unknown>;
    expect(Object.keys(p).sort()).toEqual(
      [
        "bytesReceived",
        "bytesSent",
        "confName",
        "name",
        "readers",
        "ready",
        "readyTime",
        "source",
        "tracks",
      ].sort(),
    );
    const conns = (await api("GET", "/v3/rtmpconns/list")).json as { items: Array<Record<string, unknown>> };
    expect(Object.keys(conns.items[0] ?? {}).sort()).toEqual(
      ["bytesReceived", "bytesSent", "created", "id", "path", "query", "remoteAddr", "state"].sort(),
    );
    const idle = (await api("GET", "/v3/paths/get/cam")).json as Record<string, unknown>;
    expect([idle.ready, idle.source]).toEqual([false, null]);
  });

  it("has no hlssessions/moqsessions endpoints", async () => {
    expect((await api("GET", "/v3/hlssessions/list")).text).toBe("404 page not found");
    expect((await api("GET", "/v3/moqsessions/list")).text).toBe("404 page not found");
  });

  it("serves v1.9.3 metrics names without filters", async () => {
    const text = await (await fetch(`${sim.metricsUrl}/metrics?type=rtmp_conns`)).text();
    expect(text).toContain('paths{name="live/1",state="ready"} 1');
    expect(text).toMatch(/^rtmp_conns\{id="[0-9a-f-]+",state="publish"\} 1$/m);
    expect(text).not.toContain("paths_inbound_bytes");
    expect(text).not.toContain("remoteAddr");
  });
});
