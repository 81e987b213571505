// Hooks end to end: the simulator runs deploy/mediamtx/mtx-hooks.yml (mtx-hook for every hook),
// the agent's hooks plugin stores them in its outbox, the hub receives them over the link.
//
// MediaMTX stops a running opening hook (runOnAvailable, runOnRead, runOnConnect) with SIGINT
// when its condition ends; a wrapper still in Node's start-up then dies (Node resets SIGINT, so
// nothing can catch it that early). The tests therefore wait for each opening hook before
// ending its condition, like any real stream that lasts longer than ~50 ms.
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { runWrapperProcess } from "@mtx-fleet/plugin-hooks/testing";
import { waitFor } from "@mtx-fleet/testkit";
import { describe, expect, it } from "vitest";
import { type HubHookEvent, rows, spooledEvents, startHooksStack } from "./hooks-stack.ts";

const count = (events: readonly HubHookEvent[], hook: string): number =>
  events.filter((e) => e.payload.hookReceived.hook === hook).length;

describe("MediaMTX hooks → agent → hub", () => {
  it("delivers each hook of a publish, a read and an unpublish to the hub once, and synthesises none", async () => {
    await using stack = await startHooksStack();
    const hubHas = (hook: string, n = 1) =>
      waitFor(
        () => stack.hubHooks(),
        (list) => count(list, hook) === n,
      );
    await stack.sim.control.publish("cam/1", "synthetic", { sourceType: "rtmpConn", query: "key=a&b=c" });
    await hubHas("online");
    await hubHas("ready");
    const reader = await stack.sim.control.addReader("cam/1", "rtspSession", "viewer=1");
    await hubHas("read");
    await hubHas("connect", 2);
    await stack.sim.control.removeReader("cam/1", reader.id);
    await stack.sim.control.unpublish("cam/1");
    const events = await waitFor(
      () => stack.hubHooks(),
      (list) => list.length === 10,
    );
    expect(rows(events).sort()).toEqual(
      [
        ["connect", null, "hook"],
        ["connect", null, "hook"],
        ["disconnect", null, "hook"],
        ["disconnect", null, "hook"],
        ["not-ready", "cam/1", "hook"],
        ["offline", "cam/1", "hook"],
        ["online", "cam/1", "hook"],
        ["read", "cam/1", "hook"],
        ["ready", "cam/1", "hook"],
        ["unread", "cam/1", "hook"],
      ].sort(),
    );
    const ready = events.find((e) => e.payload.hookReceived.hook === "ready");
    expect(ready?.payload.hookReceived.env).toEqual({
      MTX_PATH: "cam/1",
      RTSP_PATH: "cam/1",
      RTSP_PORT: "8554",
      MTX_QUERY: "key%3Da%26b%3Dc",
      MTX_SOURCE_TYPE: "rtmpConn",
      MTX_SOURCE_ID: expect.any(String),
    });
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
  }, 50_000);

  it("spools while the agent is down (the wrapper exits 1) and delivers every hook exactly once after it restarts", async () => {
    await using stack = await startHooksStack();
    const spoolDir = join(stack.hooksDir, "spool");
    const spooled = (hook: string, n = 1) =>
      waitFor(
        () => spooledEvents(spoolDir),
        (list) => list.filter((e) => e.hook === hook).length === n,
      );
    await stack.sim.control.publish("cam/up", "synthetic");
    // Every hook of that publish is at the hub before the agent goes away.
    await waitFor(
      () => stack.hubHooks(),
      (list) => ["connect", "ready", "online"].every((hook) => count(list, hook) === 1),
    );
    await stack.stopAgent();

    // While the agent is away: what MediaMTX runs goes to the spool.
    await stack.sim.control.publish("cam/2", "synthetic", { sourceType: "rtmpConn" });
    await spooled("ready");
    await spooled("online");
    const reader = await stack.sim.control.addReader("cam/2");
    await spooled("read");
    await spooled("connect", 2);
    await stack.sim.control.removeReader("cam/2", reader.id);
    await stack.sim.control.unpublish("cam/2");
    await stack.sim.control.unpublish("cam/up");
    // One run whose exit code we see (MediaMTX discards it): 1 = not delivered, spooled.
    const direct = await runWrapperProcess(["read"], {
      env: {
        MTX_PATH: "cam/direct",
        MTX_HOOK_URL: stack.receiverUrl,
        MTX_HOOK_TOKEN_FILE: join(stack.hooksDir, "token"),
        MTX_HOOK_SPOOL_DIR: spoolDir,
      },
    });
    expect(direct.exit).toBe(1);
    expect(direct.logs).toEqual([
      expect.objectContaining({
        code: "MTX_HOOK_UNDELIVERED",
        msg: "hook not delivered to the agent; spooled for replay",
        path: "cam/direct",
      }),
    ]);
    // cam/2: connect ×2, ready, online, read, unread, disconnect ×2, not-ready, offline;
    // cam/up: not-ready, offline, disconnect; and the direct run.
    const spool = await waitFor(
      () => spooledEvents(spoolDir),
      (list) => list.length === 14,
    );
    expect(stack.sim.stderr()).toContain("MTX_HOOK_UNDELIVERED");

    await stack.startAgent();
    const ids = spool.map((e) => e.id);
    const events = await waitFor(
      () => stack.hubHooks(),
      (list) => ids.every((id) => list.some((e) => e.id === id)),
      20_000,
    );
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    expect(events.length).toBe(3 + ids.length); // cam/up's connect, ready, online before the stop
    expect(events.filter((e) => ids.includes(e.id)).map((e) => e.payload.hookReceived.origin)).toEqual(
      ids.map(() => "spool"),
    );
    const cam2 = rows(events.filter((e) => e.pathName === "cam/2"));
    expect([...cam2].sort()).toEqual(
      [
        ["ready", "cam/2", "spool"],
        ["online", "cam/2", "spool"],
        ["read", "cam/2", "spool"],
        ["unread", "cam/2", "spool"],
        ["not-ready", "cam/2", "spool"],
        ["offline", "cam/2", "spool"],
      ].sort(),
    );
    // Replayed in the order they ran (closing hooks fired together may swap places).
    const order = cam2.map(([hook]) => hook);
    expect(order.indexOf("ready")).toBeLessThan(order.indexOf("not-ready"));
    expect(order.indexOf("read")).toBeLessThan(order.indexOf("unread"));
    expect(await readdir(spoolDir)).toEqual([]);
    // The spool told the agent cam/up went away: nothing was synthesised.
    expect(events.filter((e) => e.payload.hookReceived.origin === "synthesized")).toEqual([]);
  }, 50_000);
});
