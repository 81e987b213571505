import { join } from "node:path";
import { create } from "@bufbuild/protobuf";
import { MtxError, parseConfig } from "@mtx-fleet/plugin-api";
import { PathStatusSchema, TelemetrySchema } from "@mtx-fleet/proto";
import { createTempDir, type TempDir } from "@mtx-fleet/testkit";
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HubConfigSchema } from "../config/hub-config-schema.ts";
import { streamIdFor } from "../fleet/stream-id-for.ts";
import { type RunningHub, startHub } from "../start-hub.ts";

const ADMIN_PASSWORD = "admin-password-for-tests";
let dir: TempDir;
let hub: RunningHub;
let admin: string;

async function call(method: string, route: string, body?: unknown, token: string | null = admin) {
  const res = await fetch(hub.apiUrl + route, {
    method,
    headers: {
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // /metrics is text
  }
  return { status: res.status, body: parsed as Record<string, unknown> & { code?: string } };
}

async function tokenFor(role: string): Promise<string> {
  const created = await call("POST", "/api/v1/auth/tokens", { name: `${role}-test`, role });
  return String(created.body.token);
}

beforeEach(async () => {
  dir = await createTempDir("mtx-hub-api-");
  const config = parseConfig(HubConfigSchema, {
    version: 1,
    dataDir: join(dir.path, "data"),
    api: { host: "127.0.0.1", port: 0 },
    // A free port: the default (9801) would collide with other hubs started by parallel tests.
    link: { host: "127.0.0.1", port: 0 },
    auth: { adminPassword: ADMIN_PASSWORD },
  });
  hub = await startHub({
    loaded: { file: "test", config },
    logger: pino({ level: "silent" }),
    version: "0.0.0-test",
  });
  admin = String(
    (await call("POST", "/api/v1/auth/login", { username: "admin", password: ADMIN_PASSWORD }, null)).body
      .token,
  );
});
afterEach(async () => {
  await hub.stop();
  await dir[Symbol.asyncDispose]();
});

describe("hub REST API", () => {
  it("refuses requests without a credential, and wrong logins, with 401", async () => {
    const results = await Promise.all([
      call("GET", "/api/v1/fleet/nodes", undefined, null),
      call("GET", "/api/v1/streams", undefined, "mtxh_not-a-token"),
      call("GET", "/metrics", undefined, null),
      call("POST", "/api/v1/auth/login", { username: "admin", password: "wrong" }, null),
    ]);
    expect(results.map((r) => [r.status, r.body.code, r.body.message])).toEqual([
      [
        401,
        "MTX_UNAUTHORIZED",
        "this request needs 'Authorization: Bearer <token>' (POST /api/v1/auth/login gives one)",
      ],
      [401, "MTX_UNAUTHORIZED", "unknown API token"],
      [
        401,
        "MTX_UNAUTHORIZED",
        "this request needs 'Authorization: Bearer <token>' (POST /api/v1/auth/login gives one)",
      ],
      [401, "MTX_UNAUTHORIZED", "wrong username or password"],
    ]);
  });

  it("lets a viewer read but not change anything (403), and an operator sync but not create", async () => {
    const viewer = await tokenFor("viewer");
    const operator = await tokenFor("operator");
    const results = await Promise.all([
      call("GET", "/api/v1/fleet/nodes", undefined, viewer),
      call("POST", "/api/v1/fleet/nodes", { name: "edge-1", environment: "dev" }, viewer),
      call("POST", "/api/v1/fleet/sync-all", undefined, viewer),
      call("POST", "/api/v1/auth/tokens", { name: "x", role: "admin" }, operator),
      call("POST", "/api/v1/fleet/nodes", { name: "edge-1", environment: "dev" }, operator),
    ]);
    expect(results.map((r) => [r.status, r.body.code ?? "ok"])).toEqual([
      [200, "ok"],
      [403, "MTX_FORBIDDEN"],
      [403, "MTX_FORBIDDEN"],
      [403, "MTX_FORBIDDEN"],
      [403, "MTX_FORBIDDEN"],
    ]);
    expect(results[1]?.body.message).toBe("this needs the admin role; the token has viewer");
    expect((await call("GET", "/api/v1/fleet/nodes")).body.itemCount).toBe(0);
  });

  it("creates, lists, filters, gets and deletes nodes as admin", async () => {
    const created = await call("POST", "/api/v1/fleet/nodes", {
      name: "edge-1",
      environment: "prod",
      labels: { site: "paris", rack: "r1" },
    });
    expect(created.status).toBe(201);
    const node = created.body.node as { id: string };
    const enrol = created.body.enrolToken as { token: string; expiresAt: string };
    expect(enrol.token).toMatch(/^mtxe_[A-Za-z0-9_-]{43}$/);
    expect(await call("GET", `/api/v1/fleet/nodes/${node.id}`)).toEqual({
      status: 200,
      body: {
        id: node.id,
        name: "edge-1",
        environment: "prod",
        labels: { site: "paris", rack: "r1" },
        kind: "agent",
        createdAt: expect.any(String),
        enrolledAt: null,
        agentVersion: null,
        hostname: null,
        agentless: null,
        connectivity: { state: "offline", lastSeenAt: null },
        status: null,
        host: null,
      },
    });
    const filtered = await Promise.all([
      call("GET", "/api/v1/fleet/nodes?environment=prod&label=site=paris"),
      call("GET", "/api/v1/fleet/nodes?label=site=paris&label=rack=r2"),
      call("GET", "/api/v1/fleet/nodes?environment=dev"),
    ]);
    expect(filtered.map((r) => r.body.itemCount)).toEqual([1, 0, 0]);
    expect((await call("DELETE", `/api/v1/fleet/nodes/${node.id}`)).status).toBe(204);
    expect((await call("GET", `/api/v1/fleet/nodes/${node.id}`)).status).toBe(404);
  });

  it("refuses bad input with 400 and a code, and stores nothing", async () => {
    const huge = { name: "edge-1", environment: "dev", labels: { big: "x".repeat(100_000) } };
    const results = await Promise.all([
      call("POST", "/api/v1/fleet/nodes", "{not json"),
      call("POST", "/api/v1/fleet/nodes", { name: "edge-1", environment: "qa" }),
      call("POST", "/api/v1/fleet/nodes", { name: "edge-1", environment: "dev", colour: "red" }),
      call("POST", "/api/v1/fleet/nodes", { name: "../etc", environment: "dev" }),
      call("POST", "/api/v1/fleet/nodes", huge),
      call("GET", "/api/v1/fleet/nodes/not-a-uuid"),
      call("DELETE", "/api/v1/fleet/nodes/1;DROP"),
      call("GET", "/api/v1/streams/%2F%2F"),
      call("GET", "/api/v1/streams/AAAA"),
      call("GET", "/api/v1/events?since=yesterday"),
      call("GET", "/api/v1/streams?perPage=0"),
    ]);
    expect(results.map((r) => [r.status, r.body.code])).toEqual(
      Array(results.length).fill([400, "MTX_INVALID_INPUT"]),
    );
    expect(results[1]?.body.message).toBe("body.environment must be equal to one of the allowed values");
    expect(results[2]?.body.message).toBe("body must NOT have additional properties");
    expect((await call("GET", "/api/v1/fleet/nodes")).body.itemCount).toBe(0);
  });

  it("lists streams from telemetry with filters and gets one by its id", async () => {
    const created = await hub.fleet.createNode({ name: "edge-1", environment: "staging" });
    const id = created.node.id;
    const path = (name: string, available: boolean) => create(PathStatusSchema, { name, available });
    await hub.fleet.ingestTelemetry(
      id,
      create(TelemetrySchema, {
        sequence: 1n,
        full: true,
        paths: [path("cam1", true), path("site/cam2", false)],
      }),
    );
    const listed = await call("GET", `/api/v1/streams?node=${id}&availability=available`);
    const one = await call("GET", `/api/v1/streams/${streamIdFor(id, "site/cam2")}`);
    const missing = await call("GET", `/api/v1/streams/${streamIdFor(id, "nope")}`);
    expect({
      listed: [
        listed.body.itemCount,
        (listed.body.items as Array<{ pathName: string }>).map((s) => s.pathName),
      ],
      one: [one.status, one.body.pathName, one.body.availability, one.body.status, one.body.environment],
      missing: [missing.status, missing.body.code],
      paged: (await call("GET", "/api/v1/streams?environment=staging&perPage=1&page=1")).body,
    }).toEqual({
      listed: [1, ["cam1"]],
      one: [200, "site/cam2", "unavailable", "unknown", "staging"],
      missing: [404, "MTX_NOT_FOUND"],
      paged: { itemCount: 2, pageCount: 2, items: [expect.objectContaining({ pathName: "site/cam2" })] },
    });
  });

  it("answers sync with 503 MTX_NODE_OFFLINE without a link, and with the link's result when wired", async () => {
    const created = await hub.fleet.createNode({ name: "edge-1", environment: "dev" });
    const id = created.node.id;
    const before = await call("POST", `/api/v1/fleet/nodes/${id}/sync`);
    hub.setCommands({
      sync: async (nodeId) => {
        if (nodeId !== id) throw new MtxError("MTX_NODE_OFFLINE", "not connected");
        return { sent: true };
      },
      send: async () => {
        throw new MtxError("MTX_NODE_OFFLINE", "not connected");
      },
    });
    await hub.fleet.createNode({ name: "edge-2", environment: "dev" });
    const one = await call("POST", `/api/v1/fleet/nodes/${id}/sync`);
    const all = await call("POST", "/api/v1/fleet/sync-all");
    expect({
      before: [before.status, before.body.code],
      one: one.body,
      all: (all.body.items as Array<{ ok: boolean; error?: { code: string } }>)
        .map((r) => [r.ok, r.error?.code])
        .sort(),
    }).toEqual({
      before: [503, "MTX_NODE_OFFLINE"],
      one: { nodeId: id, result: { sent: true } },
      all: [
        [false, "MTX_NODE_OFFLINE"],
        [true, undefined],
      ],
    });
  });

  it("serves an OpenAPI document that lists every route, without a token", async () => {
    const { status, body } = await call("GET", "/api/v1/openapi.json", undefined, null);
    const paths = body.paths as Record<string, Record<string, { security?: unknown }>>;
    expect(status).toBe(200);
    expect(body.openapi).toBe("3.0.3");
    expect(
      Object.entries(paths)
        .flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`))
        .sort(),
    ).toEqual([
      "DELETE /api/v1/auth/tokens/{id}",
      "DELETE /api/v1/fleet/nodes/{id}",
      "GET /api/v1/auth/tokens",
      "GET /api/v1/events",
      "GET /api/v1/fleet/nodes",
      "GET /api/v1/fleet/nodes/{id}",
      "GET /api/v1/openapi.json",
      "GET /api/v1/streams",
      "GET /api/v1/streams/{id}",
      "GET /api/v1/streams/{id}/thumbnail",
      "POST /api/v1/auth/login",
      "POST /api/v1/auth/tokens",
      "POST /api/v1/fleet/nodes",
      "POST /api/v1/fleet/nodes/{id}/enrol-token",
      "POST /api/v1/fleet/nodes/{id}/sync",
      "POST /api/v1/fleet/sync-all",
      "POST /api/v1/health/probe-url",
      "POST /api/v1/health/probe/{id}",
    ]);
    expect(paths["/api/v1/auth/login"]?.post?.security).toEqual([]);
  });

  it("serves mtx_hub_* metrics to a viewer and health to anyone", async () => {
    await hub.fleet.createNode({ name: "edge-1", environment: "dev" });
    const metrics = await call("GET", "/metrics", undefined, await tokenFor("viewer"));
    const health = await call("GET", "/healthz", undefined, null);
    expect(String(metrics.body)).toContain('mtx_hub_nodes{state="offline"} 1');
    expect(String(metrics.body)).toContain("mtx_hub_process_resident_memory_bytes");
    expect(health).toEqual({ status: 200, body: { status: "ok", version: "0.0.0-test" } });
  });
});
