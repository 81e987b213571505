import type { MtxPath, MtxSnapshot } from "@mtx-fleet/mediamtx";
import { describe, expect, it } from "vitest";
import { StreamAvailability } from "./stream-availability.ts";
import { hookEvent } from "./testing/plugin-test-kit.ts";

function path(name: string, available: boolean, sourceId = "conn-1"): MtxPath {
  return {
    name,
    confName: "all_others",
    available,
    availableTime: available ? "2026-01-01T00:00:00Z" : null,
    online: available,
    onlineTime: null,
    source: available ? { type: "rtmpConn", id: sourceId } : null,
    tracks: [],
    tracks2: [],
    readers: [],
    inboundBytes: 0,
    outboundBytes: 0,
    inboundFramesInError: 0,
  };
}

/** A snapshot as the shared poller produces it, with only what availability reads filled in. */
function snapshot(takenAt: number, paths: MtxPath[], query = ""): MtxSnapshot {
  return {
    takenAt,
    pollDurationMs: 1,
    paths,
    pathsByName: new Map(paths.map((p) => [p.name, p])),
    connections: {
      rtmpConns: paths.map((p) => ({
        type: "rtmpConn" as const,
        id: p.source?.id ?? "none",
        created: "2026-01-01T00:00:00Z",
        remoteAddr: "127.0.0.1:5000",
        state: "publish",
        path: p.name,
        query,
        user: null,
        userAgent: null,
        inboundBytes: 0,
        outboundBytes: 0,
        outboundFramesDiscarded: null,
      })),
    },
    disabled: [],
    consistent: true,
    previousTakenAt: null,
    deltas: new Map(),
  };
}

const relevant = (p: string) => p.startsWith("live/");

describe("StreamAvailability", () => {
  it("takes streams from a snapshot, with the publisher's query, and only the relevant ones", () => {
    const streams = new StreamAvailability(relevant);
    const changed = streams.fromSnapshot(
      snapshot(1_000, [path("live/a/in", true), path("live/b/in", false), path("cam/1", true)], "k=v"),
    );
    expect(changed.map((s) => [s.path, s.available, s.query, s.trigger?.origin])).toEqual([
      ["live/a/in", true, "k=v", "snapshot"],
    ]);
    expect(streams.availablePaths()).toEqual(["live/a/in"]);
  });

  it("lets neither a snapshot taken before a hook nor an older hook override newer facts", () => {
    const streams = new StreamAvailability(relevant);
    expect(
      streams.fromHook(hookEvent("ready", "live/a/in", { occurredAt: 2_000, query: "q=1" }))?.available,
    ).toBe(true);
    // The poll began before the hook ran: it cannot know about it.
    expect(streams.fromSnapshot(snapshot(1_999, []))).toEqual([]);
    expect(streams.get("live/a/in")?.available).toBe(true);
    // A spooled not-ready from before the ready.
    expect(
      streams.fromHook(hookEvent("not-ready", "live/a/in", { occurredAt: 1_500, origin: "spool" })),
    ).toBeNull();
    // A poll that began after the hook sees the path gone: that is the newest fact.
    expect(streams.fromSnapshot(snapshot(2_500, [])).map((s) => [s.path, s.available])).toEqual([
      ["live/a/in", false],
    ]);
    expect(streams.fromHook(hookEvent("ready", "live/a/in", { occurredAt: 2_400 }))).toBeNull();
    expect(streams.fromHook(hookEvent("ready", "live/a/in", { occurredAt: 2_600 }))?.available).toBe(true);
  });

  it("ignores hooks other than ready and not-ready, and paths no rule matches", () => {
    const streams = new StreamAvailability(relevant);
    expect(streams.fromHook(hookEvent("read", "live/a/in"))).toBeNull();
    expect(streams.fromHook(hookEvent("ready", "cam/1"))).toBeNull();
    expect(streams.fromHook(hookEvent("connect", "live/a/in", { path: null }))).toBeNull();
    expect(streams.availablePaths()).toEqual([]);
  });

  it("forgets streams that have been unavailable for an hour, and only those", () => {
    const streams = new StreamAvailability(relevant);
    const start = 10_000_000;
    streams.fromHook(hookEvent("not-ready", "live/gone/in", { occurredAt: start }));
    streams.fromHook(hookEvent("ready", "live/live/in", { occurredAt: start }));
    streams.fromHook(hookEvent("ready", "live/other/in", { occurredAt: start + 61 * 60_000 }));
    expect([streams.get("live/gone/in"), streams.get("live/live/in")?.available]).toEqual([undefined, true]);
  });
});
