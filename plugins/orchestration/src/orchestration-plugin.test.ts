import { join } from "node:path";
import { type PluginHarness, startPluginHarness } from "@mtx-fleet/agent/testing";
import type { PluginDefinition } from "@mtx-fleet/plugin-api";
import { createTempDir, waitFor } from "@mtx-fleet/testkit";
import { describe, expect, it } from "vitest";
import { orchestrationPlugin } from "./orchestration-plugin.ts";
import {
  callRoute,
  hookEvent,
  journal,
  liveMembers,
  recordedStarts,
  workers,
} from "./testing/plugin-test-kit.ts";
import { TEST_WORKER } from "./testing/test-worker-path.ts";

const definition = orchestrationPlugin as unknown as PluginDefinition;
const FAST_RESTART = { baseMs: 100, maxMs: 400, jitter: 0, stableAfterMs: 60_000 };

function rule(record: string, extra: Record<string, unknown> = {}, args: string[] = []) {
  return {
    name: "republish",
    match: "live/{streamId}/in",
    command: [
      process.execPath,
      TEST_WORKER,
      "--record",
      record,
      "--in",
      "{rtmpUrl}/live/{streamId}/in?{query}",
      "--out",
      "{rtmpUrl}/live/{streamId}/out",
      ...args,
    ],
    env: { EXTRA: "id={streamId}" },
    graceMs: 400,
    restart: FAST_RESTART,
    stopTimeoutMs: 1_000,
    ...extra,
  };
}

function start(config: unknown): Promise<PluginHarness> {
  return startPluginHarness([{ definition, config }], {
    host: { stopTimeoutMs: 5_000, callTimeoutMs: 5_000 },
  });
}

const until = <T>(read: () => Promise<T>, ok: (value: T) => boolean) => waitFor(read, ok, 10_000, 20);

describe("orchestration plugin: workers", () => {
  it("starts one worker per stream on the ready hook with the stream's values, and stops it after the grace", async () => {
    await using dir = await createTempDir("orch-");
    const record = join(dir.path, "starts.jsonl");
    await using harness = await start({ rules: [rule(record)], reconcileFromSnapshot: false });
    expect(harness.status("orchestration")?.state.kind).toBe("running");

    const ready = hookEvent("ready", "live/s1/in", { query: "user=bob&pass=secret123" });
    harness.bus.emit("mediamtx.hook", ready);
    harness.bus.emit("mediamtx.hook", hookEvent("ready", "other/s1/in"));
    const [running] = await until(
      () => workers(harness),
      (list) => list[0]?.state === "running",
    );
    expect(running).toMatchObject({
      id: "worker/republish/live/s1/in",
      kind: "worker",
      name: "republish",
      path: "live/s1/in",
      streamId: "s1",
      state: "running",
      restarts: 0,
    });
    const [started] = await until(
      () => recordedStarts(record),
      (lines) => lines.length === 1,
    );
    expect(started!.pid).toBe(running!.pid);
    expect(started!.argv).toEqual([
      "--record",
      record,
      "--in",
      "rtmp://127.0.0.1:1935/live/s1/in?user=bob&pass=secret123",
      "--out",
      "rtmp://127.0.0.1:1935/live/s1/out",
    ]);
    expect(started!.env).toEqual({
      EXTRA: "id=s1",
      MTX_PATH: "live/s1/in",
      MTX_QUERY: "user=bob&pass=secret123",
    });

    // Its output reaches the plugin's log with the stream's fields, the query's secret masked.
    const outputLine = await until(
      async () => harness.logs().find((l) => String(l.msg).includes('"msg":"started"')),
      (line) => line !== undefined,
    );
    expect(outputLine).toMatchObject({
      plugin: "orchestration",
      path: "live/s1/in",
      streamId: "s1",
      worker: "worker/republish/live/s1/in",
      stream: "stdout",
    });
    expect(JSON.stringify(harness.logs())).not.toContain("secret123");

    harness.bus.emit("mediamtx.hook", hookEvent("not-ready", "live/s1/in"));
    await until(
      () => workers(harness),
      (list) => list[0]?.state === "grace",
    );
    await until(
      () => workers(harness),
      (list) => list.length === 0,
    );
    expect(await liveMembers([running!.pid!])).toEqual([]);

    const events = await journal(harness, "worker.");
    expect(events.map((e) => [e.kind, e.path, e.payload.pid])).toEqual([
      ["worker.started", "live/s1/in", running!.pid],
      ["worker.stopped", "live/s1/in", running!.pid],
    ]);
    expect(events[0]!.payload).toMatchObject({
      cause: "ready",
      hookId: ready.id,
      origin: "hook",
      streamId: "s1",
    });
    expect(events[0]!.payload.startLatencyMs).toBeTypeOf("number");
    expect(JSON.stringify(events[0]!.payload.argv)).not.toContain("secret123");
    expect(events[1]!.payload).toMatchObject({ reason: "grace", signal: "SIGTERM", forced: false });
    const metrics = await harness.metrics();
    expect(metrics).toContain('mtx_orchestration_workers_running{kind="worker",name="republish"} 0');
    expect(metrics).toContain('mtx_orchestration_worker_start_latency_seconds_count{kind="worker"} 1');
  });

  it("keeps exactly one worker while a publisher flaps five times within the grace", async () => {
    await using dir = await createTempDir("orch-");
    const record = join(dir.path, "starts.jsonl");
    await using harness = await start({
      rules: [rule(record, { graceMs: 60_000 })],
      reconcileFromSnapshot: false,
    });
    harness.bus.emit("mediamtx.hook", hookEvent("ready", "live/s2/in"));
    const [first] = await until(
      () => workers(harness),
      (list) => list[0]?.state === "running",
    );
    for (let i = 0; i < 5; i++) {
      harness.bus.emit("mediamtx.hook", hookEvent("not-ready", "live/s2/in"));
      await until(
        () => workers(harness),
        (list) => list[0]?.state === "grace",
      );
      harness.bus.emit("mediamtx.hook", hookEvent("ready", "live/s2/in"));
      const [again] = await until(
        () => workers(harness),
        (list) => list[0]?.state === "running",
      );
      expect(again!.pid).toBe(first!.pid);
    }
    const starts = await until(
      () => recordedStarts(record),
      (lines) => lines.length > 0,
    );
    expect(starts.map((s) => s.pid)).toEqual([first!.pid]);
    expect((await journal(harness, "worker.")).map((e) => e.kind)).toEqual(["worker.started"]);
  });

  it("ignores hooks older than what it already applied (a spooled replay)", async () => {
    await using dir = await createTempDir("orch-");
    await using harness = await start({
      rules: [rule(join(dir.path, "s.jsonl"))],
      reconcileFromSnapshot: false,
    });
    const now = Date.now();
    harness.bus.emit("mediamtx.hook", hookEvent("ready", "live/s3/in", { occurredAt: now }));
    harness.bus.emit(
      "mediamtx.hook",
      hookEvent("not-ready", "live/s3/in", { occurredAt: now - 60_000, origin: "spool" }),
    );
    const [running] = await until(
      () => workers(harness),
      (list) => list[0]?.state === "running",
    );
    // A later event for another stream has been handled, so the stale one was too.
    harness.bus.emit("mediamtx.hook", hookEvent("not-ready", "live/other/in"));
    await new Promise((resolve) => setImmediate(resolve));
    expect((await workers(harness)).map((w) => [w.state, w.pid])).toEqual([["running", running!.pid]]);
  });

  it("restarts a crashing worker with backoff and counts the restarts", async () => {
    await using dir = await createTempDir("orch-");
    await using harness = await start({
      rules: [rule(join(dir.path, "s.jsonl"), {}, ["--exit-after-ms", "50", "--exit-code", "9"])],
      reconcileFromSnapshot: false,
    });
    harness.bus.emit("mediamtx.hook", hookEvent("ready", "live/s4/in"));
    await until(
      () => journal(harness, "worker.exited"),
      (exits) => exits.length >= 3,
    );
    const exits = (await journal(harness, "worker.exited")).slice(0, 3);
    expect(exits.map((e) => [e.payload.code, e.payload.restartInMs])).toEqual([
      [9, 100],
      [9, 200],
      [9, 400],
    ]);
    const starts = await journal(harness, "worker.started");
    expect(starts.slice(0, 3).map((e) => [e.payload.cause, e.payload.restarts])).toEqual([
      ["ready", 0],
      ["backoff", 1],
      ["backoff", 2],
    ]);
    expect(await harness.metrics()).toMatch(
      /mtx_orchestration_worker_restarts_total\{kind="worker",name="republish"\} [2-9]/,
    );
    expect(await harness.host.health("orchestration")).toMatchObject({ status: "degraded" });
  });

  it("restarts one worker on an operator's request, with the backoff reset", async () => {
    await using dir = await createTempDir("orch-");
    await using harness = await start({
      rules: [rule(join(dir.path, "s.jsonl"))],
      reconcileFromSnapshot: false,
    });
    harness.bus.emit("mediamtx.hook", hookEvent("ready", "live/s5/in"));
    const [before] = await until(
      () => workers(harness),
      (list) => list[0]?.state === "running",
    );
    const answer = await callRoute(harness, "POST", "/workers/restart", { body: { id: before!.id } });
    expect(answer.status).toBe(200);
    const [after] = await until(
      () => workers(harness),
      (list) => list[0]?.state === "running" && list[0].pid !== before!.pid,
    );
    expect(after).toMatchObject({ id: before!.id, restarts: 1 });
    expect(await liveMembers([before!.pid!])).toEqual([]);
    await expect(
      callRoute(harness, "POST", "/workers/restart", { body: { id: "nope" } }),
    ).rejects.toMatchObject({
      code: "MTX_NOT_FOUND",
    });
    await expect(callRoute(harness, "POST", "/workers/restart", { body: {} })).rejects.toMatchObject({
      code: "MTX_INVALID_INPUT",
    });
  });

  it("refuses to start a worker when a hook value would become an option, and passes shell syntax verbatim", async () => {
    await using dir = await createTempDir("orch-");
    const record = join(dir.path, "s.jsonl");
    await using harness = await start({
      rules: [
        {
          name: "raw-query",
          match: "live/{streamId}/in",
          command: [process.execPath, TEST_WORKER, "--record", record, "{query}"],
          restart: { ...FAST_RESTART, baseMs: 60_000, maxMs: 60_000 },
        },
      ],
      reconcileFromSnapshot: false,
    });
    harness.bus.emit("mediamtx.hook", hookEvent("ready", "live/a/in", { query: "--exit-after-ms" }));
    harness.bus.emit(
      "mediamtx.hook",
      hookEvent("ready", "live/b/in", { query: "$(touch x); `id` | rm -rf ~ && a=1" }),
    );
    const failed = await until(
      () => journal(harness, "worker.failed"),
      (list) => list.length === 1,
    );
    expect(failed[0]).toMatchObject({
      path: "live/a/in",
      payload: { error: { code: "MTX_WORKER_FAILED" }, restartInMs: 60_000 },
    });
    const [started] = await until(
      () => recordedStarts(record),
      (lines) => lines.length === 1,
    );
    expect(started!.argv.at(-1)).toBe("$(touch x); `id` | rm -rf ~ && a=1");
  });

  it("applies a new config without a restart: changed and removed rules restart or stop, others keep their process", async () => {
    await using dir = await createTempDir("orch-");
    const record = join(dir.path, "s.jsonl");
    const keep = { ...rule(record), name: "keep" };
    const change = { ...rule(record), name: "change" };
    await using harness = await start({ rules: [keep, change], reconcileFromSnapshot: false });
    harness.bus.emit("mediamtx.hook", hookEvent("ready", "live/s6/in"));
    const before = await until(
      () => workers(harness),
      (list) => list.length === 2 && list.every((w) => w.state === "running"),
    );
    const pidOf = (list: typeof before, name: string) => list.find((w) => w.name === name)?.pid;
    await until(
      () => recordedStarts(record),
      (lines) => lines.length === 2,
    );

    await harness.host.reconfigure("orchestration", {
      rules: [
        keep,
        { ...change, command: [...change.command, "--changed"] },
        { ...rule(record), name: "added" },
      ],
      reconcileFromSnapshot: false,
    });
    const after = await until(
      () => workers(harness),
      (list) => list.length === 3 && list.every((w) => w.state === "running"),
    );
    expect(pidOf(after, "keep")).toBe(pidOf(before, "keep"));
    expect(pidOf(after, "change")).not.toBe(pidOf(before, "change"));
    expect(await liveMembers([pidOf(before, "change")!])).toEqual([]);
    const starts = await until(
      () => recordedStarts(record),
      (lines) => lines.length === 4,
    );
    expect(starts.find((s) => s.pid === pidOf(after, "change"))?.argv.at(-1)).toBe("--changed");

    await harness.host.reconfigure("orchestration", { rules: [keep], reconcileFromSnapshot: false });
    expect((await workers(harness)).map((w) => [w.name, w.pid])).toEqual([["keep", pidOf(before, "keep")]]);
    expect(harness.status("orchestration")).toMatchObject({ state: { kind: "running" }, restarts: 0 });

    // A rule that cannot compile (unknown placeholder): rejected, the running rules go on.
    await harness.host.reconfigure("orchestration", {
      rules: [keep, { ...rule(record), name: "broken", command: ["w", "{nope}"] }],
      reconcileFromSnapshot: false,
    });
    expect((await workers(harness)).map((w) => [w.name, w.pid])).toEqual([["keep", pidOf(before, "keep")]]);
    expect(await harness.host.health("orchestration")).toEqual({
      status: "degraded",
      reason: expect.stringContaining(
        "new config rejected: plugins.orchestration.config.rules.1.command uses unknown placeholder {nope}",
      ),
    });
  });

  it("kills every process group and waits for them when the plugin stops", async () => {
    await using dir = await createTempDir("orch-");
    const record = join(dir.path, "s.jsonl");
    const harness = await start({ rules: [rule(record, {}, ["--child"])], reconcileFromSnapshot: false });
    for (const id of ["a", "b", "c"]) harness.bus.emit("mediamtx.hook", hookEvent("ready", `live/${id}/in`));
    const lines = await until(
      () => recordedStarts(record),
      (list) => list.length === 3,
    );
    const pgids = lines.map((l) => l.pid);
    expect((await liveMembers(pgids)).length).toBe(6); // three workers, one child each
    await harness.stop();
    expect(await liveMembers(pgids)).toEqual([]);
  });
});
