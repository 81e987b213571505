import { MtxError } from "@mtx-fleet/plugin-api";
import { type StartedSimulator, startSimulator } from "@mtx-fleet/testkit";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createMediaMtxClient, type MediaMtxClient } from "./create-mediamtx-client.ts";
import { createSnapshotPoller, type SnapshotPoller } from "./create-snapshot-poller.ts";
import type { MtxSnapshot, PollResult, SnapshotEvent } from "./snapshot.ts";

const SCALE = 260;
/** RTMP is disabled on this simulator, so publishers come over RTSP. */
const RTSP = { sourceType: "rtspSession" } as const;
/** Long enough that only explicit pollNow() calls poll in these tests. */
const MANUAL_INTERVAL_MS = 3_600_000;

function ok(result: PollResult): MtxSnapshot {
  if (!result.ok) throw result.error;
  return result.snapshot;
}

/** Polls until `predicate` holds for the snapshot (the simulator's counters move with time). */
async function pollUntil(
  poller: SnapshotPoller,
  predicate: (s: MtxSnapshot) => boolean,
): Promise<MtxSnapshot> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const snapshot = ok(await poller.pollNow());
    if (predicate(snapshot)) return snapshot;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("condition never held");
}

describe.each(["v1.20.1", "v1.9.3"] as const)(
  "snapshot poller against the simulator mimicking %s",
  (mimic) => {
    let sim: StartedSimulator;
    let client: MediaMtxClient;
    let poller: SnapshotPoller;

    beforeAll(async () => {
      sim = await startSimulator({
        mimic,
        scale: SCALE,
        config: { rtmp: false, paths: { cam: {}, "~^live/.*$": {}, "~^scale/.*$": {} } },
      });
      client = createMediaMtxClient({ baseUrl: sim.apiUrl, itemsPerPage: 100 });
    });
    afterEach(async () => {
      await poller?.stop();
      await sim.control.clearFaults();
    });
    afterAll(async () => {
      await sim?.[Symbol.asyncDispose]();
    });

    it("takes a snapshot of every path and counts a disabled protocol as empty", async () => {
      poller = createSnapshotPoller(client, { intervalMs: MANUAL_INTERVAL_MS });
      expect(poller.current()).toBeNull();
      const snapshot = ok(await poller.pollNow());
      expect(snapshot.paths.length).toBe(SCALE + 1);
      expect(snapshot.pathsByName.get("cam")?.confName).toBe("cam");
      // RTSPS/RTMPS servers exist only with rtspEncryption/rtmpEncryption set (default "no");
      // v1.9.3 has no HLS-session or MoQ endpoints at all.
      expect(snapshot.disabled).toEqual(
        mimic === "v1.20.1"
          ? ["rtspsSessions", "rtmpConns", "rtmpsConns"]
          : ["rtspsSessions", "rtmpConns", "rtmpsConns", "hlsSessions", "moqSessions"],
      );
      expect({
        rtmp: snapshot.connections.rtmpConns,
        deltas: snapshot.deltas.size,
        prev: snapshot.previousTakenAt,
      }).toEqual({
        rtmp: [],
        deltas: 0,
        prev: null,
      });
      const current = poller.current();
      expect(current?.snapshot).toBe(snapshot);
      expect({
        takenAt: current?.takenAt,
        stale: current?.stale,
        failures: current?.consecutiveFailures,
      }).toEqual({
        takenAt: snapshot.takenAt,
        stale: false,
        failures: 0,
      });
    });

    it("gives byte deltas between snapshots and counts from 0 after unpublish + publish", async () => {
      poller = createSnapshotPoller(client, { intervalMs: MANUAL_INTERVAL_MS });
      await sim.control.publish("cam", "synthetic", RTSP);
      try {
        const first = await pollUntil(poller, (s) => (s.pathsByName.get("cam")?.inboundBytes ?? 0) > 0);
        const second = await pollUntil(
          poller,
          (s) =>
            (s.pathsByName.get("cam")?.inboundBytes ?? 0) > (first.pathsByName.get("cam")?.inboundBytes ?? 0),
        );
        const before = first.pathsByName.get("cam")!;
        const after = second.pathsByName.get("cam")!;
        const delta = second.deltas.get("cam")!;
        expect(delta).toMatchObject({
          newStream: false,
          inboundBytes: after.inboundBytes - before.inboundBytes,
          intervalMs: second.takenAt - first.takenAt,
        });
        expect(delta.inboundBytesPerSecond).toBeCloseTo(delta.inboundBytes / (delta.intervalMs / 1000));

        await sim.control.unpublish("cam");
        await sim.control.publish("cam", "synthetic", RTSP);
        const third = ok(await poller.pollNow());
        const restarted = third.pathsByName.get("cam")!;
        expect(restarted.availableTime).not.toBe(after.availableTime);
        expect(third.deltas.get("cam")).toMatchObject({
          newStream: true,
          inboundBytes: restarted.inboundBytes,
        });
      } finally {
        await sim.control.unpublish("cam");
      }
    });

    it("treats a path that vanished and came back as a new stream", async () => {
      poller = createSnapshotPoller(client, { intervalMs: MANUAL_INTERVAL_MS });
      await sim.control.publish("live/x", "synthetic", RTSP);
      await pollUntil(poller, (s) => (s.pathsByName.get("live/x")?.inboundBytes ?? 0) > 0);
      await sim.control.unpublish("live/x");
      const gone = ok(await poller.pollNow());
      expect(gone.pathsByName.has("live/x")).toBe(false);
      await sim.control.publish("live/x", "synthetic", RTSP);
      try {
        const back = ok(await poller.pollNow());
        expect(back.deltas.get("live/x")).toMatchObject({
          newStream: true,
          inboundBytes: back.pathsByName.get("live/x")?.inboundBytes,
        });
      } finally {
        await sim.control.unpublish("live/x");
      }
    });

    it("keeps the last good snapshot when one page fails, and reports the failures", async () => {
      const events: SnapshotEvent[] = [];
      poller = createSnapshotPoller(client, { intervalMs: MANUAL_INTERVAL_MS });
      poller.subscribe((e) => events.push(e));
      const good = ok(await poller.pollNow());
      await sim.control.fault({
        route: "/v3/paths/list",
        query: { page: "1" },
        kind: "status",
        status: 500,
        times: 2,
      });

      for (const expected of [1, 2]) {
        const failed = await poller.pollNow();
        expect(failed.ok).toBe(false);
        if (failed.ok) return;
        expect({ code: failed.error.code, failures: failed.consecutiveFailures }).toEqual({
          code: "MTX_MEDIAMTX_SERVER_ERROR",
          failures: expected,
        });
        const current = poller.current();
        expect(current?.snapshot).toBe(good);
        expect({ stale: current?.stale, failures: current?.consecutiveFailures }).toEqual({
          stale: true,
          failures: expected,
        });
      }
      const recovered = ok(await poller.pollNow());
      expect(recovered.previousTakenAt).toBe(good.takenAt);
      expect(poller.current()).toMatchObject({ stale: false, consecutiveFailures: 0, lastError: null });
      expect(
        events.map((e) => (e.type === "error" ? `error:${e.error.code}:${e.lastGood === good}` : e.type)),
      ).toEqual([
        "snapshot",
        "error:MTX_MEDIAMTX_SERVER_ERROR:true",
        "error:MTX_MEDIAMTX_SERVER_ERROR:true",
        "snapshot",
      ]);
    });

    it("never runs two polls at once: callers join the running poll, the loop waits for it", async () => {
      poller = createSnapshotPoller(client, { intervalMs: 20 });
      await sim.control.fault({
        route: "/v3/paths/list",
        query: { page: "0" },
        kind: "delay",
        delayMs: 300,
        times: 3,
      });
      const a = poller.pollNow();
      const b = poller.pollNow();
      expect(a).toBe(b);
      ok(await a);

      const snapshots: MtxSnapshot[] = [];
      const three = new Promise<void>((resolve) => {
        poller.subscribe((e) => {
          if (e.type === "snapshot") snapshots.push(e.snapshot);
          if (snapshots.length === 3) resolve();
        });
      });
      poller.start();
      await three;
      await poller.stop();
      for (let i = 1; i < snapshots.length; i++) {
        const previous = snapshots[i - 1]!;
        expect(snapshots[i]!.takenAt).toBeGreaterThanOrEqual(previous.takenAt + previous.pollDurationMs);
      }
    });

    it("stops when its signal is aborted", async () => {
      const controller = new AbortController();
      let polls = 0;
      poller = createSnapshotPoller(client, { intervalMs: 20, signal: controller.signal });
      const first = new Promise<void>((resolve) =>
        poller.subscribe(() => (++polls === 1 ? resolve() : undefined)),
      );
      poller.start();
      await first;
      controller.abort();
      await poller.stop();
      const after = polls;
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(polls).toBe(after);
    });

    it("reports an unreachable node as an error event without throwing", async () => {
      const dead = createMediaMtxClient({ baseUrl: "http://127.0.0.1:1" });
      poller = createSnapshotPoller(dead, { intervalMs: MANUAL_INTERVAL_MS, include: [] });
      const result = await poller.pollNow();
      expect(result.ok ? null : MtxError.is(result.error, "MTX_MEDIAMTX_UNREACHABLE")).toBe(true);
      expect(poller.current()).toBeNull();
    });
  },
);
