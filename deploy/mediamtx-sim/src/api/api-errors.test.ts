import { startSimulator } from "@mtx-fleet/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { httpCall } from "../test-support/http-call.ts";

type Sim = Awaited<ReturnType<typeof startSimulator>>;

describe("Control API errors (v1.20.1)", () => {
  let sim: Sim;
  beforeAll(async () => {
    sim = await startSimulator({ config: { rtmp: false, paths: { cam1: {} } } });
  });
  afterAll(async () => {
    await sim[Symbol.asyncDispose]();
  });
  const api = (method: string, route: string, body?: unknown) => httpCall(sim.apiUrl, method, route, body);

  it.each([
    ["POST", "/v3/config/paths/add/x", { foo: 1 }, 'json: unknown field "foo"'],
    ["POST", "/v3/config/paths/add/x", { authInternalUsers: [] }, 'json: unknown field "authInternalUsers"'],
    [
      "PATCH",
      "/v3/config/global/patch",
      { authInternalUsers: [{ users: "a" }] },
      'json: unknown field "users"',
    ],
    ["PATCH", "/v3/config/global/patch", { pathDefaults: {} }, 'json: unknown field "pathDefaults"'],
    ["POST", "/v3/config/paths/add/x", "", "EOF"],
    ["POST", "/v3/config/paths/add/x", "xyz", "invalid character 'x' looking for beginning of value"],
    ["POST", "/v3/config/paths/add/x", "nope", "invalid character 'o' in literal null (expecting 'u')"],
    ["POST", "/v3/config/paths/add/x", '{"a":', "unexpected EOF"],
    ["POST", "/v3/config/paths/add/cam1", {}, "path already exists"],
    [
      "POST",
      "/v3/config/paths/add/x",
      { maxReaders: "3" },
      "json: cannot unmarshal string into Go struct field Path.maxReaders of type int",
    ],
    ["GET", "/v3/paths/list?itemsPerPage=0", undefined, "invalid items per page"],
    ["GET", "/v3/paths/list?page=abc", undefined, 'strconv.ParseUint: parsing "abc": invalid syntax'],
    ["GET", "/v3/paths/list?page=-1", undefined, 'strconv.ParseUint: parsing "-1": invalid syntax'],
    [
      "GET",
      "/v3/config/paths/list?itemsPerPage=99999999999",
      undefined,
      'strconv.ParseUint: parsing "99999999999": value out of range',
    ],
    ["GET", "/v3/rtspsessions/get/abc", undefined, "invalid UUID length: 3"],
    [
      "POST",
      "/v3/webrtcsessions/kick/zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz",
      undefined,
      "invalid UUID format",
    ],
  ])("%s %s → 400 %j", async (method, route, body, error) => {
    const r = (await api(method, route, body)).json;
    expect(r).toEqual({ status: "error", error });
  });

  it.each([
    ["GET", "/v3/config/paths/get/nope", "path configuration not found"],
    ["PATCH", "/v3/config/paths/patch/nope", "path not found"],
    ["DELETE", "/v3/config/paths/delete/nope", "path not found"],
    ["GET", "/v3/paths/get/nope", "path not found"],
    ["GET", "/v3/rtspsessions/get/6f1c3a52-1111-4a4a-9b9b-123456789abc", "session not found"],
    ["GET", "/v3/srtconns/get/6f1c3a52-1111-4a4a-9b9b-123456789abc", "connection not found"],
  ])("%s %s → 404 %j", async (method, route, error) => {
    const r = await api(method, route, method === "PATCH" ? {} : undefined);
    expect([r.status, r.json]).toEqual([404, { status: "error", error }]);
  });

  it("answers gin's plain-text 404 for a disabled protocol server and unknown routes", async () => {
    for (const route of ["/v3/rtmpconns/list", "/v3/rtspsconns/list", "/v3/nope", "/v3/rtspconns/kick/x"]) {
      const r = await api("GET", route);
      expect([r.status, r.contentType, r.text]).toEqual([404, "text/plain", "404 page not found"]);
    }
    expect((await api("GET", "/v3/rtspconns/list")).status).toBe(200);
  });

  it("answers a wrong method with the plain-text 404 too", async () => {
    const r = await api("POST", "/v3/paths/list");
    expect([r.status, r.text]).toEqual([404, "404 page not found"]);
  });

  it("reports version and start time at /v3/info", async () => {
    const r = (await api("GET", "/v3/info")).json as { version: string; started: string };
    expect(r.version).toBe("v1.20.1");
    expect(Number.isNaN(Date.parse(r.started))).toBe(false);
  });

  it("answers CORS preflight with 204", async () => {
    const r = await httpCall(sim.apiUrl, "OPTIONS", "/v3/paths/list", undefined, {
      Origin: "http://example.com",
      "Access-Control-Request-Method": "GET",
    });
    expect([r.status, r.headers.get("access-control-allow-methods")]).toEqual([
      204,
      "OPTIONS, GET, POST, PATCH, DELETE",
    ]);
  });
});
