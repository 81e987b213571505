// Stream health at the hub: a real hub (API + link server) and a real agent link client whose
// command handlers stand in for the agent's probe plugin actions.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import type { JsonObject } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { createLinkClient, type LinkClient } from "@mtx-fleet/agent";
import { MtxError, parseConfig } from "@mtx-fleet/plugin-api";
import { StreamVerdict } from "@mtx-fleet/proto";
import { createTempDir, type TempDir, waitFor } from "@mtx-fleet/testkit";
import { pino } from "pino";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { HubConfigSchema } from "../config/hub-config-schema.ts";
import { streamIdFor } from "../fleet/stream-id-for.ts";
import { type RunningHub, startHub } from "../start-hub.ts";

const ADMIN_PASSWORD = "admin-password-for-tests";
const T0 = Date.UTC(2025, 0, 1, 12);
const logger = pino({ level: "silent" });

let jpeg: Buffer;
let dir: TempDir;
let hub: RunningHub;
let admin: string;
let agent: LinkClient | undefined;
/** Commands the agent received, in order: `kind path` (or `kind url`). */
let received: string[];

interface Call {
  readonly status: number;
  readonly type: string | null;
  readonly bytes: Buffer;
  readonly body: Record<string, unknown> & { code?: string };
}

async function call(method: string, route: string, body?: unknown, token: string = admin): Promise<Call> {
  const res = await fetch(hub.apiUrl + route, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const bytes = Buffer.from(await res.arrayBuffer());
  const type = res.headers.get("content-type");
  const parsed = type?.startsWith("application/json") ? JSON.parse(bytes.toString("utf8")) : {};
  return { status: res.status, type, bytes, body: parsed };
}

async function tokenFor(role: string): Promise<string> {
  return String((await call("POST", "/api/v1/auth/tokens", { name: `${role}-test`, role })).body.token);
}

/** The agent's answers per path: what `probe` returns (or throws) stands in for `probe.path`. */
function probeAnswer(path: string, signal: AbortSignal): Promise<JsonObject> | JsonObject {
  switch (path) {
    case "cam/frozen":
      return {
        path,
        verdict: "unhealthy",
        reasons: [{ code: "frozen", severity: "unhealthy", message: "the picture did not change for 12 s" }],
        values: { fps: 25, width: 640, videoCodec: "H264" },
        checkedAt: T0,
        since: T0 - 30_000,
        probe: "measured",
      };
    case "cam/busy":
      throw new MtxError("MTX_PROBE_BUSY", "2 deep probes are running (the cap)");
    case "cam/slow":
      throw new MtxError("MTX_PROBE_TIMEOUT", "the deep probe of 'cam/slow' did not finish in 15 s");
    case "cam/plain":
      throw new MtxError("MTX_UNAVAILABLE", "no running plugin offers action 'probe.path'");
    case "cam/hangs":
      return new Promise((resolve) => signal.addEventListener("abort", () => resolve({}), { once: true }));
    default:
      return { path, probe: "skipped" };
  }
}

function startAgentLink(enrolToken: string): LinkClient {
  let credential: string | undefined;
  return createLinkClient({
    hubUrl: hub.linkUrl,
    enrolToken,
    credentialStore: {
      get: async () => credential,
      set: async (value) => {
        credential = value;
      },
    },
    agentVersion: "0.0.0-test",
    hello: () => ({ capabilities: ["probe"], mediamtxVersion: "v1.20.1" }),
    telemetryIntervalMs: 60_000,
    telemetry: () => ({
      sequence: 1n,
      full: true,
      paths: [
        {
          name: "cam/frozen",
          available: true,
          health: {
            verdict: StreamVerdict.HEALTHY,
            values: { fps: 25 },
            checkedAt: timestampFromMs(T0 - 60_000),
            since: timestampFromMs(T0 - 120_000),
          },
        },
        ...["cam/busy", "cam/slow", "cam/plain", "cam/hangs", "cam/empty"].map((name) => ({
          name,
          available: true,
        })),
      ],
    }),
    commands: {
      sync: () => ({}),
      probe: (command, ctx) => {
        received.push(`probe ${command.pathName}`);
        return probeAnswer(command.pathName, ctx.signal);
      },
      thumbnail: (command) => {
        received.push(`thumbnail ${command.pathName}${command.fresh ? " fresh" : ""}`);
        if (command.pathName === "cam/busy") throw new MtxError("MTX_PROBE_FAILED", "no flowing stream");
        if (command.pathName === "cam/slow") return { contentType: "text/html", dataBase64: "PGgxPg==" };
        return {
          path: command.pathName,
          contentType: "image/jpeg",
          dataBase64: jpeg.toString("base64"),
          takenAt: T0,
        };
      },
      probeUrl: (command) => {
        received.push(`probeUrl ${command.url}`);
        if (!command.url.startsWith("rtsp://")) {
          throw new MtxError("MTX_URL_FORBIDDEN", "scheme 'http' is not in probe.urls.allowSchemes");
        }
        return { url: command.url, verdict: "degraded", reasons: [], values: { fps: 12 } };
      },
    },
    logger,
    backoff: { baseMs: 20, maxMs: 200 },
  });
}

beforeAll(async () => {
  const { stdout } = await promisify(execFile)(
    "ffmpeg",
    ["-v", "error", "-f", "lavfi", "-i", "testsrc2=size=160x90", "-frames:v", "1", "-f", "mjpeg", "pipe:1"],
    { encoding: "buffer" },
  );
  jpeg = stdout;
});

let nodeId: string;

beforeEach(async () => {
  received = [];
  dir = await createTempDir("mtx-hub-health-");
  const config = parseConfig(HubConfigSchema, {
    version: 1,
    dataDir: join(dir.path, "data"),
    api: { host: "127.0.0.1", port: 0 },
    link: { host: "127.0.0.1", port: 0 },
    auth: { adminPassword: ADMIN_PASSWORD },
  });
  hub = await startHub({ loaded: { file: "test", config }, logger, version: "0.0.0-test" });
  const login = await fetch(`${hub.apiUrl}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "admin", password: ADMIN_PASSWORD }),
  });
  admin = String(((await login.json()) as { token: string }).token);
  const created = await hub.fleet.createNode({ name: "edge-1", environment: "prod" });
  nodeId = created.node.id;
  agent = startAgentLink(created.enrolToken?.token ?? "");
  await waitFor(
    async () => (await hub.fleet.listStreams({ nodeId }, { page: 0, perPage: 10 })).itemCount,
    (count) => count === 6,
  );
});
afterEach(async () => {
  await agent?.stop();
  await hub.stop();
  await dir[Symbol.asyncDispose]();
});

const id = (path: string) => streamIdFor(nodeId, path);

describe("stream health at the hub", () => {
  it("lists streams with their verdicts and filters them by status and availability", async () => {
    const [all, healthy, unknown, available, bad] = await Promise.all([
      call("GET", `/api/v1/streams?node=${nodeId}`),
      call("GET", "/api/v1/streams?status=healthy"),
      call("GET", "/api/v1/streams?status=unknown"),
      call("GET", "/api/v1/streams?availability=available&perPage=1"),
      call("GET", "/api/v1/streams?status=off"),
    ]);
    const items = all.body.items as Array<{ pathName: string; status: string; health: unknown }>;
    expect({
      frozen: items.find((s) => s.pathName === "cam/frozen"),
      others: items.filter((s) => s.pathName !== "cam/frozen").map((s) => [s.status, s.health]),
      healthy: (healthy.body.items as Array<{ pathName: string }>).map((s) => s.pathName),
      unknown: unknown.body.itemCount,
      available: available.body.itemCount,
      bad: [bad.status, bad.body.code],
    }).toEqual({
      frozen: expect.objectContaining({
        status: "healthy",
        availability: "available",
        health: {
          verdict: "healthy",
          reasons: [],
          values: { fps: 25 },
          checkedAt: new Date(T0 - 60_000).toISOString(),
          since: new Date(T0 - 120_000).toISOString(),
        },
      }),
      others: Array(5).fill(["unknown", null]),
      healthy: ["cam/frozen"],
      unknown: 5,
      available: 6,
      bad: [400, "MTX_INVALID_INPUT"],
    });
  });

  it("probes a stream on its node, returns the verdict and shows it before the next telemetry", async () => {
    const probed = await call(
      "POST",
      `/api/v1/health/probe/${id("cam/frozen")}`,
      undefined,
      await tokenFor("operator"),
    );
    const after = await call("GET", `/api/v1/streams/${id("cam/frozen")}`);
    const frozen = {
      verdict: "unhealthy",
      reasons: [{ code: "frozen", severity: "unhealthy", message: "the picture did not change for 12 s" }],
      values: { fps: 25, width: 640, videoCodec: "H264" },
      checkedAt: new Date(T0).toISOString(),
      since: new Date(T0 - 30_000).toISOString(),
    };
    expect({
      probed: [probed.status, probed.body],
      after: [after.body.status, after.body.health],
      received,
    }).toEqual({
      probed: [
        200,
        {
          streamId: id("cam/frozen"),
          nodeId,
          pathName: "cam/frozen",
          status: "unhealthy",
          health: frozen,
          result: { path: "cam/frozen", probe: "measured", ...frozen, checkedAt: T0, since: T0 - 30_000 },
        },
      ],
      after: ["unhealthy", frozen],
      received: ["probe cam/frozen"],
    });
  });

  it("passes the agent's probe errors through with their codes, and refuses what it cannot send", async () => {
    const viewer = await tokenFor("viewer");
    const probe = (path: string, query = "", token = admin) =>
      call("POST", `/api/v1/health/probe/${id(path)}${query}`, undefined, token);
    const results = await Promise.all([
      probe("cam/busy"),
      probe("cam/slow"),
      probe("cam/plain"),
      probe("cam/hangs", "?timeoutMs=1000"),
      probe("cam/empty"),
      probe("cam/none"),
      call("POST", "/api/v1/health/probe/%2F%2F"),
      probe("cam/busy", "?timeoutMs=10"),
      probe("cam/frozen", "", viewer),
    ]);
    expect(results.map((r) => [r.status, r.body.code ?? r.body.health])).toEqual([
      [429, "MTX_PROBE_BUSY"],
      [504, "MTX_PROBE_TIMEOUT"],
      [503, "MTX_UNAVAILABLE"],
      [504, "MTX_LINK_TIMEOUT"],
      [200, null],
      [404, "MTX_NOT_FOUND"],
      [400, "MTX_INVALID_INPUT"],
      [400, "MTX_INVALID_INPUT"],
      [403, "MTX_FORBIDDEN"],
    ]);
    expect(results[0]?.body.message).toBe("2 deep probes are running (the cap)");
    await agent?.stop();
    agent = undefined;
    const offline = await waitFor(
      () => probe("cam/busy"),
      (r) => r.status === 503,
    );
    expect([offline.body.code, [...new Set(received)].sort()]).toEqual([
      "MTX_NODE_OFFLINE",
      ["probe cam/busy", "probe cam/empty", "probe cam/hangs", "probe cam/plain", "probe cam/slow"],
    ]);
  });

  it("serves a stream's thumbnail as JPEG from one command per few seconds; fresh needs an operator", async () => {
    const viewer = await tokenFor("viewer");
    const operator = await tokenFor("operator");
    const route = `/api/v1/streams/${id("cam/frozen")}/thumbnail`;
    const first = await Promise.all([
      call("GET", route, undefined, viewer),
      call("GET", route, undefined, viewer),
    ]);
    const again = await call("GET", route, undefined, viewer);
    const freshByViewer = await call("GET", `${route}?fresh=true`, undefined, viewer);
    const fresh = await call("GET", `${route}?fresh=true`, undefined, operator);
    const failures = await Promise.all([
      call("GET", `/api/v1/streams/${id("cam/busy")}/thumbnail`),
      call("GET", `/api/v1/streams/${id("cam/slow")}/thumbnail`),
      call("GET", `/api/v1/streams/${id("cam/none")}/thumbnail`),
    ]);
    expect({
      first: first.map((r) => [r.status, r.type, r.bytes.equals(jpeg)]),
      magic: first[0]?.bytes.subarray(0, 3).toString("hex"),
      again: [again.status, again.bytes.equals(jpeg)],
      freshByViewer: [freshByViewer.status, freshByViewer.body.code],
      fresh: [fresh.status, fresh.type, fresh.bytes.length],
      failures: failures.map((r) => [r.status, r.body.code]),
      received,
    }).toEqual({
      first: [
        [200, "image/jpeg", true],
        [200, "image/jpeg", true],
      ],
      magic: "ffd8ff",
      again: [200, true],
      freshByViewer: [403, "MTX_FORBIDDEN"],
      fresh: [200, "image/jpeg", jpeg.length],
      failures: [
        [502, "MTX_PROBE_FAILED"],
        [502, "MTX_PROBE_FAILED"],
        [404, "MTX_NOT_FOUND"],
      ],
      received: [
        "thumbnail cam/frozen",
        "thumbnail cam/frozen fresh",
        "thumbnail cam/busy",
        "thumbnail cam/slow",
      ],
    });
  });

  it("probes a URL from a node: the hub checks the body, the agent decides what it may reach", async () => {
    const operator = await tokenFor("operator");
    const probeUrl = (body: unknown, token = operator) =>
      call("POST", "/api/v1/health/probe-url", body, token);
    const results = await Promise.all([
      probeUrl({ nodeId, url: "rtsp://cam.example.net:8554/live" }),
      probeUrl({ nodeId, url: "http://10.0.0.1/admin" }),
      probeUrl({ nodeId, url: "not a url" }),
      probeUrl({ nodeId, url: `rtsp://cam.example.net/${"x".repeat(2_100)}` }),
      probeUrl({ nodeId, url: "rtsp://cam.example.net/live", extra: true }),
      probeUrl({ nodeId: "00000000-0000-4000-8000-000000000000", url: "rtsp://cam.example.net/live" }),
      probeUrl({ nodeId, url: "rtsp://cam.example.net/live" }, await tokenFor("viewer")),
    ]);
    expect(results.map((r) => [r.status, r.body.code ?? "ok"])).toEqual([
      [200, "ok"],
      [403, "MTX_URL_FORBIDDEN"],
      [400, "MTX_INVALID_INPUT"],
      [400, "MTX_INVALID_INPUT"],
      [400, "MTX_INVALID_INPUT"],
      [404, "MTX_NOT_FOUND"],
      [403, "MTX_FORBIDDEN"],
    ]);
    expect(results[0]?.body).toEqual({
      nodeId,
      url: "rtsp://cam.example.net:8554/live",
      health: { verdict: "degraded", reasons: [], values: { fps: 12 }, checkedAt: null, since: null },
      result: {
        url: "rtsp://cam.example.net:8554/live",
        verdict: "degraded",
        reasons: [],
        values: { fps: 12 },
      },
    });
    expect(received).toEqual(["probeUrl rtsp://cam.example.net:8554/live", "probeUrl http://10.0.0.1/admin"]);
  });

  it("documents the health routes and the stream fields in the OpenAPI document", async () => {
    const doc = (await call("GET", "/api/v1/openapi.json")).body as {
      paths: Record<string, Record<string, { "x-mtx-role"?: string; responses: Record<string, unknown> }>>;
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
    };
    expect({
      roles: [
        doc.paths["/api/v1/health/probe/{id}"]?.post?.["x-mtx-role"],
        doc.paths["/api/v1/health/probe-url"]?.post?.["x-mtx-role"],
        doc.paths["/api/v1/streams/{id}/thumbnail"]?.get?.["x-mtx-role"],
      ],
      thumbnail: doc.paths["/api/v1/streams/{id}/thumbnail"]?.get?.responses["200"],
      stream: Object.keys(doc.components.schemas.Stream?.properties ?? {}).filter((k) =>
        ["status", "availability", "health"].includes(k),
      ),
      health: Object.keys(doc.components.schemas.StreamHealth?.properties ?? {}),
    }).toEqual({
      roles: ["operator", "operator", "viewer"],
      thumbnail: {
        description: "The picture (cached for a few seconds)",
        content: { "image/jpeg": { schema: { type: "string", format: "binary" } } },
      },
      stream: ["status", "availability", "health"],
      health: ["verdict", "reasons", "values", "checkedAt", "since"],
    });
  });
});
