import { MtxError, type MtxErrorCode } from "@mtx-fleet/plugin-api";
import { freePort, type StartedSimulator, startSimulator } from "@mtx-fleet/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMediaMtxClient, type MediaMtxClient } from "./create-mediamtx-client.ts";

/** Awaits `promise`, expects it to reject with an MtxError of `code`, and returns the error. */
async function rejection(promise: Promise<unknown>, code: MtxErrorCode): Promise<MtxError> {
  const error = await promise.then(
    () => new Error("expected a rejection"),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MtxError);
  expect({ code: (error as MtxError).code, message: (error as MtxError).message }).toMatchObject({ code });
  return error as MtxError;
}

/**
 * Retries `fn` until it stops throwing: since v1.20.1 a config write is acknowledged before it
 * is applied (CONTRACT §0.2), so a read right after it may still see the old state.
 */
async function eventually<T>(fn: () => Promise<T>, timeoutMs = 3_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      if (Date.now() > deadline) throw e;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const ALL_ACTIONS = ["publish", "read", "playback", "api", "metrics", "pprof"].map((action) => ({ action }));
const REGEX_NAME = "~^cam(\\d+)$";
const SCALE = 260;

describe.each(["v1.20.1", "v1.9.3"] as const)(
  "MediaMTX client against the simulator mimicking %s",
  (mimic) => {
    const current = mimic === "v1.20.1";
    let sim: StartedSimulator;
    let client: MediaMtxClient;

    beforeAll(async () => {
      sim = await startSimulator({
        mimic,
        scale: SCALE,
        // A zone with a `+` offset: deletesegment must get `start` back with `%2B` intact.
        env: { ...process.env, TZ: "Asia/Kolkata" },
        config: {
          authInternalUsers: [
            { user: "any", pass: "", ips: [], permissions: ALL_ACTIONS },
            { user: "ops", pass: "opsPass1", ips: [], permissions: [{ action: "api" }] },
          ],
          paths: {
            cam: {},
            rec: { record: true },
            "~^live/.*$": {},
            "~^scale/.*$": {},
          },
        },
      });
      client = createMediaMtxClient({ baseUrl: sim.apiUrl, itemsPerPage: 100 });
    });
    afterAll(async () => {
      await sim?.[Symbol.asyncDispose]();
    });

    it("detects the version and its features", async () => {
      const info = await client.info();
      expect({
        version: info.version,
        featuresFrom: info.featuresFrom,
        forward: info.features.forward,
      }).toEqual(
        current
          ? { version: "v1.20.1", featuresFrom: "version", forward: true }
          : { version: null, featuresFrom: "version", forward: false },
      );
      expect(Object.values(info.features).every((x) => x === current)).toBe(true);
    });

    it("pages through all paths, far past the first 100", async () => {
      const list = await client.paths.list();
      expect(list.items.length).toBe(SCALE + 2);
      expect({ itemCount: list.itemCount, pages: list.pages, consistent: list.consistent }).toEqual({
        itemCount: SCALE + 2,
        pages: 3,
        consistent: true,
      });
      expect(list.items.filter((p) => p.name.startsWith("scale/")).length).toBe(SCALE);
      expect(Object.isFrozen(list.items[0])).toBe(true);
    });

    it("normalises a published path to current field names, null where the version lacks a field", async () => {
      await sim.control.publish("cam", "synthetic");
      try {
        const path = await client.paths.get("cam");
        expect(path).toMatchObject({ name: "cam", confName: "cam", available: true, readers: [] });
        expect(path.source?.type).toBe("rtmpConn");
        expect(typeof path.availableTime).toBe("string");
        expect(typeof path.inboundBytes).toBe("number");
        if (current) {
          expect({ online: path.online, errors: typeof path.inboundFramesInError }).toEqual({
            online: true,
            errors: "number",
          });
          expect(Array.isArray(path.tracks2)).toBe(true);
        } else {
          expect({
            online: path.online,
            onlineTime: path.onlineTime,
            f: path.inboundFramesInError,
            t2: path.tracks2,
          }).toEqual({
            online: null,
            onlineTime: null,
            f: null,
            t2: null,
          });
        }
      } finally {
        await sim.control.unpublish("cam");
      }
    });

    it.each(["site1/cam7", REGEX_NAME, "~^(lab|site)/[a-z]+ ?$"])(
      "adds, reads, lists and deletes the path config %s",
      async (name) => {
        await client.pathConfigs.add(name, { record: false });
        const conf = await eventually(() => client.pathConfigs.get(name));
        expect({ name: conf.name, record: conf.record }).toEqual({ name, record: false });
        expect((await client.pathConfigs.list()).items.map((c) => c.name)).toContain(name);
        await client.pathConfigs.delete(name);
        await eventually(() => rejection(client.pathConfigs.get(name), "MTX_MEDIAMTX_NOT_FOUND"));
      },
    );

    it("writes runOnAvailable under the name the node knows and reads it back under the current name", async () => {
      await client.pathConfigs.add("hooked", { runOnAvailable: "echo up", runOnUnavailable: "echo down" });
      try {
        const conf = await eventually(() => client.pathConfigs.get("hooked"));
        expect({ a: conf.runOnAvailable, u: conf.runOnUnavailable }).toEqual({
          a: "echo up",
          u: "echo down",
        });
        if (!current) expect(conf.runOnReady).toBeUndefined();
      } finally {
        await client.pathConfigs.delete("hooked");
      }
    });

    it("reports a missing runtime path and config as NOT_FOUND", async () => {
      await rejection(client.paths.get("nope"), "MTX_MEDIAMTX_NOT_FOUND");
      const e = await rejection(client.pathConfigs.patch("nope", { record: true }), "MTX_MEDIAMTX_NOT_FOUND");
      expect(e.details).toMatchObject({ status: 404, method: "PATCH", route: "/v3/config/paths/patch/nope" });
    });

    it("keeps MediaMTX's own message when it rejects a config write", async () => {
      const unknown = await rejection(
        client.pathConfigs.patch("cam", { notAKey: 1 } as never),
        "MTX_MEDIAMTX_INVALID_CONFIG",
      );
      expect(unknown.details?.mediamtxMessage).toBe('json: unknown field "notAKey"');
      expect(unknown.message).toContain('json: unknown field "notAKey"');

      const badName = await rejection(client.pathConfigs.add("bad name", {}), "MTX_MEDIAMTX_INVALID_CONFIG");
      expect(badName.details?.mediamtxMessage).toMatch(/^invalid path name 'bad name'/);

      const exists = await rejection(client.pathConfigs.add("cam", {}), "MTX_MEDIAMTX_INVALID_CONFIG");
      expect(exists.details?.mediamtxMessage).toBe("path already exists");
    });

    it("maps a 400 on reads and actions to BAD_REQUEST", async () => {
      const kick = await rejection(client.rtspSessions.kick("not-a-uuid"), "MTX_MEDIAMTX_BAD_REQUEST");
      expect(typeof kick.details?.mediamtxMessage).toBe("string");
      const page = await rejection(
        client.raw({ method: "GET", route: "/v3/paths/list", query: { itemsPerPage: "0" }, kind: "read" }),
        "MTX_MEDIAMTX_BAD_REQUEST",
      );
      expect(page.details?.mediamtxMessage).toBe("invalid items per page");
    });

    it("maps a 5xx to SERVER_ERROR", async () => {
      await sim.control.fault({
        route: "/v3/paths/list",
        kind: "status",
        status: 500,
        body: '{"error":"terminated"}',
      });
      const e = await rejection(client.paths.list(), "MTX_MEDIAMTX_SERVER_ERROR");
      expect(e.details).toMatchObject({ status: 500, mediamtxMessage: "terminated" });
    });

    it("maps a non-JSON success to BAD_RESPONSE", async () => {
      await sim.control.fault({
        route: "/v3/paths/list",
        kind: "status",
        status: 200,
        body: "<html>proxy</html>",
      });
      await rejection(client.paths.list(), "MTX_MEDIAMTX_BAD_RESPONSE");
    });

    it("gives up after timeoutMs with TIMEOUT", async () => {
      await sim.control.fault({ route: "/v3/paths/get/cam", kind: "delay", delayMs: 2_000 });
      const quick = createMediaMtxClient({ baseUrl: sim.apiUrl, timeoutMs: 200 });
      const e = await rejection(quick.paths.get("cam"), "MTX_MEDIAMTX_TIMEOUT");
      expect(e.details).toMatchObject({ timeoutMs: 200 });
      await sim.control.clearFaults();
    });

    it("maps a connection reset to UNREACHABLE", async () => {
      await sim.control.fault({ route: "/v3/paths/list", kind: "reset" });
      await rejection(client.paths.list(), "MTX_MEDIAMTX_UNREACHABLE");
    });

    it("notes a list that changed while it was paged through, without duplicates", async () => {
      await sim.control.fault({ route: "/v3/paths/list", query: { page: "1" }, kind: "delay", delayMs: 300 });
      const walking = client.paths.list();
      await new Promise((resolve) => setTimeout(resolve, 100));
      await sim.control.publish("live/a", "synthetic"); // sorts before page 1: everything shifts by one
      try {
        const list = await walking;
        const names = list.items.map((p) => p.name);
        expect({
          consistent: list.consistent,
          itemCount: list.itemCount,
          unique: new Set(names).size === names.length,
        }).toEqual({
          consistent: false,
          itemCount: SCALE + 3,
          unique: true,
        });
        expect(names.filter((n) => n.startsWith("scale/")).length).toBe(SCALE);
      } finally {
        await sim.control.unpublish("live/a");
      }
    });

    it("refuses to write back users it read when the node redacted their passwords", async () => {
      const { authInternalUsers = [] } = await client.global.get();
      expect(authInternalUsers[1]?.pass).toBe(current ? "<redacted>" : "opsPass1");
      const writeBack = client.global.patch({ authInternalUsers });
      if (current) {
        const e = await rejection(writeBack, "MTX_MEDIAMTX_REDACTED_SECRET");
        expect(e.details?.fields).toContain("authInternalUsers[1].pass");
      } else {
        await writeBack; // v1.9.3 returns secrets in clear, so writing them back is harmless
      }
    });

    it("refuses to write <redacted> back, before sending anything", async () => {
      const e = await rejection(
        client.pathConfigs.patch("cam", { readUser: "viewer", readPass: "<redacted>" }),
        "MTX_MEDIAMTX_REDACTED_SECRET",
      );
      expect(e.details?.fields).toEqual(["readPass"]);
      await rejection(
        client.global.patch({
          authInternalUsers: [{ user: "admin", pass: "<redacted>", ips: [], permissions: [] }],
        }),
        "MTX_MEDIAMTX_REDACTED_SECRET",
      );
      expect((await client.pathConfigs.get("cam")).readUser ?? "").toBe("");
    });

    it("lists forward destinations only where the version has them", async () => {
      if (current) {
        const list = await client.forward.list("cam");
        expect({ items: list.items, disabled: list.disabled }).toEqual({ items: [], disabled: false });
      } else {
        const e = await rejection(client.forward.list("cam"), "MTX_MEDIAMTX_UNSUPPORTED");
        expect(e.details).toMatchObject({ since: "v1.20.0", version: null });
        await rejection(client.hlsSessions.list(), "MTX_MEDIAMTX_UNSUPPORTED");
        expect((await client.hlsSessions.list({ disabledAsEmpty: true })).disabled).toBe(true);
      }
    });

    it("returns an empty recording for a path with nothing recorded and refuses an invalid name", async () => {
      expect(await client.recordings.get("cam")).toEqual({ name: "cam", segments: [] });
      // (the test kit's base config has all_others, so every valid name is configured here)
      const e = await rejection(client.recordings.get("bad name"), "MTX_MEDIAMTX_BAD_REQUEST");
      expect(e.details?.mediamtxMessage).toMatch(/^invalid path name: .*\(bad name\)$/);
    });

    it("deletes a recorded segment by the exact start MediaMTX gave, offset and all", async () => {
      await sim.control.publish("rec", "testsrc");
      try {
        const recording = await eventually(async () => {
          const r = await client.recordings.get("rec");
          expect(r.segments.length).toBeGreaterThan(0);
          return r;
        }, 10_000);
        const start = recording.segments[0]!.start;
        expect(start).toMatch(/\+05:30$/);
        const asUtc = new Date(start).toISOString();
        const wrongOffset = await rejection(
          client.recordings.deleteSegment("rec", asUtc),
          "MTX_MEDIAMTX_BAD_REQUEST",
        );
        expect(wrongOffset.details?.mediamtxMessage).toEqual(expect.any(String));
        await client.recordings.deleteSegment("rec", start);
        const after = await client.recordings.get("rec");
        expect(after.segments.map((x) => x.start)).not.toContain(start);
      } finally {
        await sim.control.unpublish("rec");
      }
    });

    it("lists the reader sessions a path has", async () => {
      await sim.control.publish("live/one", "synthetic");
      try {
        const { id } = await sim.control.addReader("live/one", "rtspSession");
        const path = await client.paths.get("live/one");
        expect(path.readers).toEqual([{ type: "rtspSession", id }]);
        const sessions = await client.rtspSessions.list();
        expect(sessions.items.find((s) => s.id === id)).toMatchObject({
          type: "rtspSession",
          id,
          state: "read",
          path: "live/one",
        });
        await client.rtspSessions.kick(id);
        expect((await client.paths.get("live/one")).readers).toEqual([]);
      } finally {
        await sim.control.unpublish("live/one");
      }
    });
  },
);

describe.each(["v1.20.1", "v1.9.3"] as const)("MediaMTX client with auth and rtmp disabled (%s)", (mimic) => {
  let sim: StartedSimulator;
  const permissions = ["api", "publish", "read", "playback", "metrics"].map((action) => ({ action }));

  beforeAll(async () => {
    sim = await startSimulator({
      mimic,
      config: { rtmp: false, authInternalUsers: [{ user: "admin", pass: "s3cret", ips: [], permissions }] },
    });
  });
  afterAll(async () => {
    await sim?.[Symbol.asyncDispose]();
  });

  it("maps a 401 to UNAUTHORIZED, with or without a body", async () => {
    const anonymous = createMediaMtxClient({ baseUrl: sim.apiUrl });
    const e = await rejection(anonymous.paths.list(), "MTX_MEDIAMTX_UNAUTHORIZED");
    expect(e.details).toMatchObject({ status: 401 });
  });

  it("authenticates with basic auth", async () => {
    const admin = createMediaMtxClient({ baseUrl: sim.apiUrl, username: "admin", password: "s3cret" });
    expect((await admin.paths.list()).items).toEqual([]);
  });

  it("reports a disabled protocol server as PROTOCOL_DISABLED, or an empty list on request", async () => {
    const admin = createMediaMtxClient({ baseUrl: sim.apiUrl, username: "admin", password: "s3cret" });
    const e = await rejection(admin.rtmpConns.list(), "MTX_MEDIAMTX_PROTOCOL_DISABLED");
    expect(e.details).toMatchObject({ status: 404, mediamtxMessage: "404 page not found" });
    expect(await admin.rtmpConns.list({ disabledAsEmpty: true })).toEqual({
      items: [],
      itemCount: 0,
      pages: 0,
      consistent: true,
      disabled: true,
    });
  });
});

describe("MediaMTX client without a server", () => {
  it("maps a refused connection to UNREACHABLE", async () => {
    const port = await freePort();
    const client = createMediaMtxClient({ baseUrl: `http://127.0.0.1:${port}` });
    const e = await rejection(client.paths.list(), "MTX_MEDIAMTX_UNREACHABLE");
    expect(e.message).toContain("ECONNREFUSED");
  });

  it("refuses <redacted> without contacting anything", async () => {
    const port = await freePort();
    const client = createMediaMtxClient({ baseUrl: `http://127.0.0.1:${port}` });
    await rejection(client.pathDefaults.patch({ publishPass: "<redacted>" }), "MTX_MEDIAMTX_REDACTED_SECRET");
  });
});
