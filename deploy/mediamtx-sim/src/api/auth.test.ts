import { createHash } from "node:crypto";
import { startSimulator } from "@mtx-fleet/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { httpCall } from "../test-support/http-call.ts";

type Sim = Awaited<ReturnType<typeof startSimulator>>;
const basic = (user: string, pass: string) => ({
  Authorization: `Basic ${Buffer.from(`${user}:${pass}`).toString("base64")}`,
});
const users = [
  { user: "admin", pass: "s3cret", permissions: [{ action: "api" }, { action: "metrics" }] },
  {
    user: "hashed",
    pass: `sha256:${createHash("sha256").update("pw2").digest("base64")}`,
    permissions: [{ action: "api" }],
  },
  { user: "reader", pass: "r", permissions: [{ action: "read" }] },
  { user: "any", ips: ["10.9.9.0/24"], permissions: [{ action: "api" }] },
];

describe.each(["v1.20.1", "v1.9.3"] as const)("API authentication (%s)", (mimic) => {
  let sim: Sim;
  beforeAll(async () => {
    sim = await startSimulator({ mimic, config: { authInternalUsers: users } });
  });
  afterAll(async () => {
    await sim[Symbol.asyncDispose]();
  });
  const modern = mimic === "v1.20.1";

  it("answers 401 with WWW-Authenticate at once when no credentials are given", async () => {
    const r = await httpCall(sim.apiUrl, "GET", "/v3/paths/list");
    expect([r.status, r.headers.get("www-authenticate"), r.text]).toEqual([
      401,
      'Basic realm="mediamtx"',
      modern ? JSON.stringify({ status: "error", error: "authentication error" }) : "",
    ]);
  });

  it("also guards unregistered routes", async () => {
    expect((await httpCall(sim.apiUrl, "GET", "/v3/nope")).status).toBe(401);
  });

  it("accepts Basic, Bearer user:pass and sha256 credentials", async () => {
    expect(
      (await httpCall(sim.apiUrl, "GET", "/v3/paths/list", undefined, basic("admin", "s3cret"))).status,
    ).toBe(200);
    const bearer = { Authorization: "Bearer admin:s3cret" };
    expect((await httpCall(sim.apiUrl, "GET", "/v3/paths/list", undefined, bearer)).status).toBe(200);
    expect(
      (await httpCall(sim.apiUrl, "GET", "/v3/paths/list", undefined, basic("hashed", "pw2"))).status,
    ).toBe(200);
  });

  it("refuses a user without the api permission, without asking for credentials", async () => {
    const r = await httpCall(sim.apiUrl, "GET", "/v3/paths/list", undefined, basic("reader", "r"));
    expect([r.status, r.headers.get("www-authenticate")]).toEqual([401, null]);
  });

  it("guards metrics with the metrics action", async () => {
    expect((await fetch(`${sim.metricsUrl}/metrics`)).status).toBe(401);
    expect((await fetch(`${sim.metricsUrl}/metrics`, { headers: basic("admin", "s3cret") })).status).toBe(
      200,
    );
  });
});

describe("authMethod http", () => {
  it("asks the auth server for api requests (no default exclusion since v1.20.1)", async () => {
    const { createServer } = await import("node:http");
    const seen: unknown[] = [];
    const server = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => {
        body += c.toString();
      });
      req.on("end", () => {
        const parsed = JSON.parse(body) as { user: string; action: string };
        seen.push({ user: parsed.user, action: parsed.action });
        res.writeHead(parsed.user === "good" ? 200 : 401).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as { port: number }).port;
    try {
      await using sim = await startSimulator({
        config: { authMethod: "http", authHTTPAddress: `http://127.0.0.1:${port}/auth` },
      });
      expect(
        (await httpCall(sim.apiUrl, "GET", "/v3/paths/list", undefined, basic("good", "x"))).status,
      ).toBe(200);
      expect((await httpCall(sim.apiUrl, "GET", "/v3/paths/list")).status).toBe(401);
      expect(seen).toEqual([
        { user: "good", action: "api" },
        { user: "", action: "api" },
      ]);
    } finally {
      server.close();
    }
  });
});
