import { join } from "node:path";
import { parseConfig } from "@mtx-fleet/plugin-api";
import { createTempDir, type TempDir } from "@mtx-fleet/testkit";
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HubConfigSchema } from "../config/hub-config-schema.ts";
import { type RunningHub, startHub } from "../start-hub.ts";

const ADMIN_PASSWORD = "admin-password-for-tests";
let dir: TempDir;
let hub: RunningHub;

async function call(method: string, route: string, body?: unknown, token?: string) {
  const res = await fetch(hub.apiUrl + route, {
    method,
    headers: {
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return {
    status: res.status,
    body: (text === "" ? null : JSON.parse(text)) as Record<string, unknown> | null,
  };
}

const login = (password: string) => call("POST", "/api/v1/auth/login", { username: "admin", password });

beforeEach(async () => {
  dir = await createTempDir("mtx-hub-auth-");
  const config = parseConfig(HubConfigSchema, {
    version: 1,
    dataDir: join(dir.path, "data"),
    api: { host: "127.0.0.1", port: 0 },
    link: { host: "127.0.0.1", port: 0 },
    auth: { adminPassword: ADMIN_PASSWORD, loginMaxFailures: 3 },
  });
  hub = await startHub({
    loaded: { file: "test", config },
    logger: pino({ level: "silent" }),
    version: "0.0.0",
  });
});
afterEach(async () => {
  await hub.stop();
  await dir[Symbol.asyncDispose]();
});

describe("hub auth routes", () => {
  it("lists API tokens to admins without secrets, and a revoked token stops working at once", async () => {
    const admin = String((await login(ADMIN_PASSWORD)).body?.token);
    const created = await call("POST", "/api/v1/auth/tokens", { name: "ci", role: "viewer" }, admin);
    const ci = created.body as { id: string; token: string };
    const viewer = await call("GET", "/api/v1/auth/tokens", undefined, ci.token);
    const listed = await call("GET", "/api/v1/auth/tokens", undefined, admin);
    expect([viewer.status, viewer.body?.code]).toEqual([403, "MTX_FORBIDDEN"]);
    const items = (listed.body as { items: Array<Record<string, unknown>> }).items;
    expect(items.map((t) => [t.name, t.role, "token" in t || "hash" in t])).toEqual([
      ["login", "admin", false],
      ["ci", "viewer", false],
    ]);

    expect((await call("DELETE", `/api/v1/auth/tokens/${ci.id}`, undefined, admin)).status).toBe(204);
    const after = await call("GET", "/api/v1/fleet/nodes", undefined, ci.token);
    const again = await call("DELETE", `/api/v1/auth/tokens/${ci.id}`, undefined, admin);
    expect([after.status, after.body?.code, again.status, again.body?.code]).toEqual([
      401,
      "MTX_UNAUTHORIZED",
      404,
      "MTX_NOT_FOUND",
    ]);
  });

  it("answers 429 MTX_RATE_LIMITED after repeated wrong passwords, then even to the right one", async () => {
    const wrong = [await login("nope-1"), await login("nope-2"), await login("nope-3")].map((r) => r.status);
    const locked = await login(ADMIN_PASSWORD);
    expect({ wrong, status: locked.status, code: locked.body?.code }).toEqual({
      wrong: [401, 401, 401],
      status: 429,
      code: "MTX_RATE_LIMITED",
    });
    expect((locked.body?.details as { retryAfterMs?: number } | undefined)?.retryAfterMs).toBeGreaterThan(0);
  });
});
