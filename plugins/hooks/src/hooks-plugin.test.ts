import { mkdir, readdir, writeFile } from "node:fs/promises";
import { createServer, type Socket } from "node:net";
import { join } from "node:path";
import { type PluginHarness, startPluginHarness } from "@mtx-fleet/agent/testing";
import type { PluginDefinition } from "@mtx-fleet/plugin-api";
import { createTempDir, freePort, waitFor } from "@mtx-fleet/testkit";
import { describe, expect, it } from "vitest";
import { HOOK_ROUTE_PREFIX } from "./hook-defaults.ts";
import { spoolFileName } from "./hook-wire.ts";
import { hooksPlugin } from "./hooks-plugin.ts";
import { spoolEvent } from "./spool-event.ts";
import { collectHookEvents, hooksStatus } from "./testing/hooks-harness.ts";
import { runWrapperProcess } from "./testing/index.ts";

const TOKEN = "hooks-test-token-0123456789";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const definition = hooksPlugin as unknown as PluginDefinition;

async function startHooks(spoolDir: string, config: Record<string, unknown> = {}): Promise<PluginHarness> {
  return await startPluginHarness([
    { definition, config: { port: 0, token: TOKEN, spoolDir, drainIntervalMs: 250, ...config } },
  ]);
}

async function receiverUrl(harness: PluginHarness): Promise<string> {
  const { receiver } = await hooksStatus<{ receiver: { url: string | null } }>(harness);
  if (receiver.url === null) throw new Error("the receiver does not listen");
  return receiver.url;
}

async function hookRecords(harness: PluginHarness) {
  const records = await harness.outbox.read({ afterSeq: 0, limit: 1000 });
  return records.filter((r) => r.kind === "hook.received");
}

async function post(url: string, hook: string, body: unknown, token = TOKEN) {
  const res = await fetch(`${url}${HOOK_ROUTE_PREFIX}${hook}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe("hooks plugin: receiver", () => {
  it("stores what mtx-hook posts, emits it with the query unescaped, and the wrapper exits 0", async () => {
    await using spool = await createTempDir("hooks-spool-");
    await using harness = await startHooks(spool.path, { queryEscaping: "escaped" });
    const url = await receiverUrl(harness);
    const next = harness.next("mediamtx.hook");
    const env = {
      MTX_PATH: "cam/1",
      MTX_QUERY: "a%3D1%26b%3D%22x+y%22", // MediaMTX >= 1.18.1 escapes it once more
      MTX_SOURCE_TYPE: "rtmpConn",
      MTX_SOURCE_ID: "5a1c0e9e-1b44-4c53-8a1b-6b1f4a0f5e11",
      RTSP_PORT: "8554",
      RTSP_PATH: "cam/1",
    };
    const run = await runWrapperProcess(["ready", "--url", url], { env: { ...env, MTX_HOOK_TOKEN: TOKEN } });
    expect([run.exit, run.stderr]).toEqual([0, ""]);

    const event = await next;
    expect(event).toEqual({
      id: expect.stringMatching(UUID),
      hook: "ready",
      path: "cam/1",
      query: 'a=1&b="x y"',
      sourceType: "rtmpConn",
      sourceId: env.MTX_SOURCE_ID,
      readerType: null,
      readerId: null,
      connType: null,
      connId: null,
      segmentPath: null,
      segmentDurationSeconds: null,
      env,
      occurredAt: expect.any(Number),
      origin: "hook",
    });
    const [record, ...others] = await hookRecords(harness);
    expect(others).toEqual([]);
    expect(record).toMatchObject({
      id: event.id,
      kind: "hook.received",
      path: "cam/1",
      occurredAt: event.occurredAt,
      payload: { hook: "ready", env, origin: "hook" },
    });
  });

  it("takes the seed contract's body, deduplicates by id, and refuses bad requests with coded errors", async () => {
    await using spool = await createTempDir("hooks-spool-");
    await using harness = await startHooks(spool.path);
    const url = await receiverUrl(harness);
    const seed = { path: "cam/2", query: "k=v", sourceType: "rtspSession", sourceId: "s-2" };
    expect(await post(url, "not-ready", seed)).toEqual({
      status: 202,
      body: { id: expect.any(String), seq: 1 },
    });
    const withId = { ...seed, id: "7d7c5a52-5f0b-4e0e-9d37-b1d2b8b9f0c1" };
    expect((await post(url, "ready", withId)).status).toBe(202);
    expect(await post(url, "ready", withId)).toEqual({
      status: 200,
      body: { id: withId.id, duplicate: true },
    });
    expect((await hookRecords(harness)).map((r) => r.payload)).toEqual([
      { hook: "not-ready", env: {}, origin: "hook" },
      { hook: "ready", env: {}, origin: "hook" },
    ]);

    expect(await post(url, "ready", seed, "wrong-token-0123456789")).toEqual({
      status: 401,
      body: { code: "MTX_UNAUTHORIZED", message: "this request needs 'Authorization: Bearer <hook token>'" },
    });
    expect(await post(url, "redy", seed)).toEqual({
      status: 404,
      body: { code: "MTX_NOT_FOUND", message: "no route POST /v1/mediamtx/events/redy" },
    });
    expect((await post(url, "ready", "{not json")).body.code).toBe("MTX_INVALID_INPUT");
    expect(await post(url, "ready", { path: 1 })).toEqual({
      status: 400,
      body: {
        code: "MTX_INVALID_INPUT",
        message: "invalid body: body.path must be string,null",
        details: { issues: [{ path: "body.path", message: "body.path must be string,null" }] },
      },
    });
    expect((await post(url, "ready", { query: "q".repeat(1024 * 1024) })).status).toBe(413);
    const get = await fetch(`${url}${HOOK_ROUTE_PREFIX}ready`);
    expect([get.status, get.headers.get("allow")]).toEqual([405, "POST"]);
    expect(await hookRecords(harness)).toHaveLength(2);
    expect(await harness.metrics()).toContain('mtx_hooks_refused_total{reason="unauthorized"} 1');
  });

  it("carries a value that is not UTF-8 byte for byte (base64) and quotes, $() and newlines as they are", async () => {
    await using spool = await createTempDir("hooks-spool-");
    await using harness = await startHooks(spool.path, { queryEscaping: "raw" });
    const url = await receiverUrl(harness);
    const next = harness.next("mediamtx.hook");
    const bytes = Buffer.from([0x61, 0xff, 0xfe, 0x22, 0x24, 0x28, 0x29, 0x0a, 0xc3, 0x28]);
    const path = `cam/"it's" $(touch x) \`id\`\nnext`;
    const run = await runWrapperProcess(["read", "--url", url], {
      env: { MTX_PATH: path, MTX_READER_TYPE: "rtspSession", MTX_HOOK_TOKEN: TOKEN },
      rawEnv: { MTX_QUERY: bytes },
    });
    expect(run.exit).toBe(0);
    const event = await next;
    expect([event.path, event.query, event.envBase64, event.env]).toEqual([
      path,
      bytes.toString("utf8"),
      { MTX_QUERY: bytes.toString("base64") },
      { MTX_PATH: path, MTX_READER_TYPE: "rtspSession" },
    ]);
    const [record] = await hookRecords(harness);
    const payload = record?.payload as { envBase64: { MTX_QUERY: string } };
    expect(Buffer.from(payload.envBase64.MTX_QUERY, "base64")).toEqual(bytes);
  });
});

describe("hooks plugin: spool", () => {
  it("spools while the agent is down (exit 1), then replays every hook once, oldest first, and sets corrupt files aside", async () => {
    await using spool = await createTempDir("hooks-spool-");
    const downUrl = `http://127.0.0.1:${await freePort()}`;
    const exits: (number | string)[] = [];
    for (const [hook, extra] of [
      ["ready", { MTX_SOURCE_ID: "s1" }],
      ["read", { MTX_READER_ID: "r1" }],
      ["not-ready", { MTX_SOURCE_ID: "s1" }],
    ] as const) {
      const run = await runWrapperProcess([hook, "--url", downUrl, "--spool-dir", spool.path], {
        env: { MTX_PATH: "cam/3", MTX_HOOK_TOKEN: TOKEN, ...extra },
      });
      exits.push(run.exit);
      expect(run.logs).toEqual([
        expect.objectContaining({ code: "MTX_HOOK_UNDELIVERED", hook, path: "cam/3" }),
      ]);
    }
    expect(exits).toEqual([1, 1, 1]);
    // A wrong setting is a usage error (exit 2), and the hook is still spooled.
    const misconfigured = await runWrapperProcess(
      ["unread", "--spool-dir", spool.path, "--timeout-ms", "0"],
      {
        env: { MTX_PATH: "cam/3", MTX_READER_ID: "r1" },
      },
    );
    expect(misconfigured.exit).toBe(2);
    await writeFile(join(spool.path, spoolFileName(Date.now(), "garbage")), "{ not a spool file");

    await using harness = await startHooks(spool.path);
    const seen = collectHookEvents(harness);
    await waitFor(
      async () => seen.length,
      (n) => n === 4,
    );
    expect(seen.map((e) => [e.hook, e.origin])).toEqual([
      ["ready", "spool"],
      ["read", "spool"],
      ["not-ready", "spool"],
      ["unread", "spool"],
    ]);
    expect(await readdir(spool.path)).toEqual(["corrupt"]);
    expect(await readdir(join(spool.path, "corrupt"))).toEqual([expect.stringMatching(/-garbage\.json$/)]);
    expect(await harness.host.health("hooks")).toEqual({
      status: "degraded",
      reason: `1 spool files could not be replayed; see ${join(spool.path, "corrupt")}`,
    });
    expect((await hookRecords(harness)).map((r) => (r.payload as { origin: string }).origin)).toEqual([
      "spool",
      "spool",
      "spool",
      "spool",
    ]);
  });

  it("stores a hook once when its POST timed out after it was stored and the wrapper spooled it too", async () => {
    await using spool = await createTempDir("hooks-spool-");
    await using harness = await startHooks(spool.path);
    const url = await receiverUrl(harness);
    const event = {
      id: "c0ffee00-1111-4222-8333-444455556666",
      hook: "ready",
      occurredAt: Date.now(),
    } as const;
    expect((await post(url, "ready", { ...event, path: "cam/4" })).status).toBe(202);
    await spoolEvent(spool.path, { ...event, path: "cam/4", env: { MTX_PATH: "cam/4" } }, "timeout");
    await waitFor(
      async () => readdir(spool.path),
      (names) => names.length === 0,
    );
    expect((await hookRecords(harness)).map((r) => r.id)).toEqual([event.id]);
    expect(await harness.metrics()).toContain('mtx_hooks_duplicates_total{origin="spool"} 1');
  });

  it("keeps delivering when MediaMTX interrupts it with SIGINT: it times out and spools instead of dying", async () => {
    await using spool = await createTempDir("hooks-spool-");
    // An agent that accepts the connection and never answers.
    const sockets: Socket[] = [];
    let connected: () => void = () => {};
    const accepted = new Promise<void>((resolve) => (connected = resolve));
    const stuck = createServer((socket) => {
      sockets.push(socket);
      connected();
    });
    await new Promise<void>((resolve) => stuck.listen(0, "127.0.0.1", resolve));
    const port = (stuck.address() as { port: number }).port;
    try {
      const run = await runWrapperProcess(
        ["ready", "--url", `http://127.0.0.1:${port}`, "--spool-dir", spool.path, "--timeout-ms", "1000"],
        {
          env: { MTX_PATH: "cam/5", MTX_HOOK_TOKEN: TOKEN },
          onSpawn: (pid) => void accepted.then(() => process.kill(-pid, "SIGINT")),
        },
      );
      expect(run.exit).toBe(1);
      expect(await readdir(spool.path)).toEqual([expect.stringMatching(/^\d{15}-.+\.json$/)]);
    } finally {
      for (const socket of sockets) socket.destroy();
      stuck.close();
    }
  });

  it("keeps running with the receiver closed when its port is taken, and says so", async () => {
    await using spool = await createTempDir("hooks-spool-");
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      await using harness = await startHooks(spool.path, { port });
      expect(harness.status("hooks")?.state.kind).toBe("running");
      const health = await harness.host.health("hooks");
      expect(health).toEqual({
        status: "degraded",
        reason: expect.stringContaining(`hook receiver cannot listen on 127.0.0.1:${port}`),
      });
    } finally {
      blocker.close();
    }
  });
});

describe("hooks plugin: token", () => {
  it("creates a token file when none is configured, and the wrapper's --token-file reads it", async () => {
    await using spool = await createTempDir("hooks-spool-");
    const tokenFile = join(spool.path, "secret", "token");
    await mkdir(join(spool.path, "secret"));
    await using harness = await startPluginHarness([
      { definition, config: { port: 0, tokenFile, spoolDir: join(spool.path, "spool") } },
    ]);
    const url = await receiverUrl(harness);
    const run = await runWrapperProcess(["connect", "--url", url, "--token-file", tokenFile], {
      env: { MTX_CONN_TYPE: "rtspConn", MTX_CONN_ID: "c-1" },
    });
    expect(run.exit).toBe(0);
    expect((await hookRecords(harness)).map((r) => r.payload)).toEqual([
      { hook: "connect", env: { MTX_CONN_TYPE: "rtspConn", MTX_CONN_ID: "c-1" }, origin: "hook" },
    ]);
  });
});
