import { MtxError } from "@mtx-fleet/plugin-api";
import { createTempDir } from "@mtx-fleet/testkit";
import { describe, expect, it } from "vitest";
import { openJsonHubStore } from "../store/open-json-hub-store.ts";
import { AuthService } from "./auth-service.ts";

async function codeOf(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => "ok",
    (error: unknown) => (MtxError.is(error) ? `${error.code}: ${error.message}` : String(error)),
  );
}

describe("AuthService", () => {
  it("expires login tokens after the session lifetime and keeps tokens without ttl", async () => {
    await using dir = await createTempDir("mtx-auth-");
    const store = await openJsonHubStore({ dataDir: dir.path });
    let now = 1_000_000;
    const auth = new AuthService(store, { sessionTtlMs: 60_000, now: () => now });
    await auth.ensureAdmin("a-long-admin-password");
    const login = await auth.login("admin", "a-long-admin-password");
    const forever = await auth.createToken({ name: "ci", role: "viewer", username: "admin" });
    const before = (await auth.authenticate(`Bearer ${login.token}`)).role;
    now += 60_000;
    expect({
      before,
      after: await codeOf(auth.authenticate(`Bearer ${login.token}`)),
      forever: (await auth.authenticate(`bearer ${forever.token}`)).role,
      unknownUser: await codeOf(auth.login("root", "a-long-admin-password")),
    }).toEqual({
      before: "admin",
      after: "MTX_UNAUTHORIZED: API token expired: log in again",
      forever: "viewer",
      unknownUser: "MTX_UNAUTHORIZED: wrong username or password",
    });
    await store.close();
  });

  it("changes the admin password when the configured one changes", async () => {
    await using dir = await createTempDir("mtx-auth-");
    const store = await openJsonHubStore({ dataDir: dir.path });
    const auth = new AuthService(store, { sessionTtlMs: 60_000 });
    await auth.ensureAdmin("first-admin-password");
    await auth.ensureAdmin("second-admin-password");
    expect([
      await codeOf(auth.login("admin", "first-admin-password")),
      await codeOf(auth.login("admin", "second-admin-password")),
    ]).toEqual(["MTX_UNAUTHORIZED: wrong username or password", "ok"]);
    await store.close();
  });

  it("refuses logins of a user from an address after repeated failures, even with the right password", async () => {
    await using dir = await createTempDir("mtx-auth-");
    const store = await openJsonHubStore({ dataDir: dir.path });
    const auth = new AuthService(store, {
      sessionTtlMs: 60_000,
      login: { maxFailures: 2, windowMs: 60_000 },
    });
    await auth.ensureAdmin("the-admin-password");
    const wrong = [
      await codeOf(auth.login("admin", "nope", "10.0.0.1")),
      await codeOf(auth.login("admin", "nope", "10.0.0.1")),
    ];
    expect({
      wrong,
      locked: await codeOf(auth.login("admin", "the-admin-password", "10.0.0.1")),
      elsewhere: await codeOf(auth.login("admin", "the-admin-password", "10.0.0.2")),
    }).toEqual({
      wrong: ["MTX_UNAUTHORIZED: wrong username or password", "MTX_UNAUTHORIZED: wrong username or password"],
      locked: "MTX_RATE_LIMITED: too many failed logins for this user from this address: try again in 60 s",
      elsewhere: "ok",
    });
    await store.close();
  });

  it("lists tokens without their secrets and revokes one at once", async () => {
    await using dir = await createTempDir("mtx-auth-");
    const store = await openJsonHubStore({ dataDir: dir.path });
    const auth = new AuthService(store, { sessionTtlMs: 60_000 });
    const ci = await auth.createToken({ name: "ci", role: "viewer", username: "admin" });
    const listed = await auth.listTokens();
    expect(listed.map((t) => [t.id, t.name, t.role, t.expiresAt, Object.keys(t).sort()])).toEqual([
      [ci.id, "ci", "viewer", null, ["createdAt", "expiresAt", "id", "name", "role", "username"]],
    ]);
    await auth.revokeToken(ci.id);
    expect([
      await codeOf(auth.authenticate(`Bearer ${ci.token}`)),
      await codeOf(auth.revokeToken(ci.id)),
    ]).toEqual(["MTX_UNAUTHORIZED: unknown API token", `MTX_NOT_FOUND: no API token with id ${ci.id}`]);
    await store.close();
  });
});
