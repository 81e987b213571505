// The hooks plugin against the MediaMTX simulator: real hooks (the simulator runs mtx-hook like
// MediaMTX: no shell, own process group) and hooks that never come (no hook configured).
import { startPluginHarness } from "@mtx-fleet/agent/testing";
import type { PluginDefinition } from "@mtx-fleet/plugin-api";
import { createTempDir, freePort, startSimulator, waitFor } from "@mtx-fleet/testkit";
import { describe, expect, it } from "vitest";
import { hooksPlugin } from "./hooks-plugin.ts";
import { collectHookEvents, hooksStatus } from "./testing/hooks-harness.ts";
import { WRAPPER_MAIN } from "./testing/index.ts";

const TOKEN = "hooks-test-token-0123456789";
const POLL_INTERVAL_MS = 500;
/**
 * With real hooks: the grace window (half an interval) must outlast a wrapper slowed down by a
 * loaded machine, or the reconciler synthesises first (correct, but not what is tested here).
 */
const HOOKS_POLL_INTERVAL_MS = 2_000;
const definition = hooksPlugin as unknown as PluginDefinition;

interface PluginStatus {
  readonly reconcile: { readonly started: boolean; readonly snapshotTakenAt: number | null };
}

const hookCommand = (event: string): string => `"${process.execPath}" "${WRAPPER_MAIN}" ${event}`;

describe("hooks plugin with the simulator", () => {
  it("synthesises a ready MediaMTX never announced within two poll intervals, then the not-ready", async () => {
    await using spool = await createTempDir("hooks-spool-");
    // A path config without runOnReady/runOnAvailable: the hook can never come.
    await using sim = await startSimulator({ config: { paths: { "cam/quiet": {} } } });
    await using harness = await startPluginHarness(
      [{ definition, config: { port: 0, token: TOKEN, spoolDir: spool.path } }],
      { mediamtxUrl: sim.apiUrl, pollIntervalMs: POLL_INTERVAL_MS },
    );
    const seen = collectHookEvents(harness);
    // Let the reconciler see the path unavailable first (its start waits for the first drain).
    await waitFor(
      () => hooksStatus<PluginStatus>(harness),
      (status) => status.reconcile.started,
    );
    const publishedAt = Date.now();
    await sim.control.publish("cam/quiet", "synthetic", { sourceType: "rtmpConn" });
    const [ready] = await waitFor(
      async () => seen,
      (events) => events.length === 1,
    );
    expect(ready).toEqual({
      id: expect.any(String),
      hook: "ready",
      path: "cam/quiet",
      query: null,
      sourceType: "rtmpConn",
      sourceId: expect.any(String),
      readerType: null,
      readerId: null,
      connType: null,
      connId: null,
      segmentPath: null,
      segmentDurationSeconds: null,
      env: { MTX_PATH: "cam/quiet", MTX_SOURCE_TYPE: "rtmpConn", MTX_SOURCE_ID: ready?.sourceId },
      occurredAt: expect.any(Number),
      origin: "synthesized",
    });
    // Within two poll intervals of the publish (detection ≤ 1 interval, grace ≤ ½).
    expect((ready?.occurredAt ?? Infinity) - publishedAt).toBeLessThanOrEqual(2 * POLL_INTERVAL_MS);

    const unpublishedAt = Date.now();
    await sim.control.unpublish("cam/quiet");
    await waitFor(
      async () => seen,
      (events) => events.length === 2,
    );
    expect(seen[1]).toMatchObject({ hook: "not-ready", origin: "synthesized", sourceId: ready?.sourceId });
    expect((seen[1]?.occurredAt ?? Infinity) - unpublishedAt).toBeLessThanOrEqual(2 * POLL_INTERVAL_MS);
    const records = (await harness.outbox.read({ afterSeq: 0 })).filter((r) => r.kind === "hook.received");
    expect(
      records.map((r) => [r.id, r.path, (r.payload as { hook: string; origin: string }).origin]),
    ).toEqual([
      [seen[0]?.id, "cam/quiet", "synthesized"],
      [seen[1]?.id, "cam/quiet", "synthesized"],
    ]);
  });

  it.each([
    ["v1.20.1", "runOnAvailable", "runOnUnavailable"],
    ["v1.9.3", "runOnReady", "runOnNotReady"],
  ] as const)(
    "takes the hooks MediaMTX %s runs, with the publisher's query as it was, and synthesises nothing",
    async (mimic, onReady, onNotReady) => {
      await using spool = await createTempDir("hooks-spool-");
      const port = await freePort();
      await using sim = await startSimulator({
        mimic,
        config: {
          paths: { "cam/live": { [onReady]: hookCommand("ready"), [onNotReady]: hookCommand("not-ready") } },
        },
        env: {
          ...process.env,
          MTX_HOOK_URL: `http://127.0.0.1:${port}`,
          MTX_HOOK_TOKEN: TOKEN,
          MTX_HOOK_SPOOL_DIR: spool.path,
        },
      });
      await using harness = await startPluginHarness(
        [{ definition, config: { port, token: TOKEN, spoolDir: spool.path } }],
        { mediamtxUrl: sim.apiUrl, pollIntervalMs: HOOKS_POLL_INTERVAL_MS },
      );
      const seen = collectHookEvents(harness);
      const query = `user="it's me"&token=a+b%2F&x=ü`;
      await sim.control.publish("cam/live", "synthetic", { sourceType: "rtspSession", query });
      await waitFor(
        async () => seen,
        (events) => events.length === 1,
      );
      await sim.control.unpublish("cam/live");
      await waitFor(
        async () => seen,
        (events) => events.length === 2,
      );
      expect(seen.map((e) => [e.hook, e.origin, e.query])).toEqual([
        ["ready", "hook", query],
        ["not-ready", "hook", query],
      ]);
      // Two more polls after the last hook: a synthesis would have happened by then.
      const lastHookAt = seen[1]?.occurredAt ?? 0;
      await waitFor(
        () => hooksStatus<PluginStatus>(harness),
        (status) => (status.reconcile.snapshotTakenAt ?? 0) > lastHookAt + 2 * HOOKS_POLL_INTERVAL_MS,
      );
      expect(seen).toHaveLength(2);
    },
  );
});
