import type { MtxPath, MtxSnapshot } from "@mtx-fleet/mediamtx";
import type { MediaMtxHookEvent } from "@mtx-fleet/plugin-api";
import { describe, expect, it } from "vitest";
import { Reconciler, type Synthesis } from "./reconciler.ts";

const INTERVAL_MS = 1_000;

function path(name: string, sourceId: string | null): MtxPath {
  return {
    name,
    confName: name,
    available: sourceId !== null,
    availableTime: null,
    online: sourceId !== null,
    onlineTime: null,
    source: sourceId === null ? null : { type: "rtmpConn", id: sourceId },
    tracks: [],
    tracks2: null,
    readers: [],
    inboundBytes: 0,
    outboundBytes: 0,
    inboundFramesInError: null,
  } as MtxPath;
}

function snapshot(takenAt: number, paths: Record<string, string | null>): MtxSnapshot {
  const list = Object.entries(paths).map(([name, source]) => path(name, source));
  return {
    takenAt,
    pollDurationMs: 5,
    paths: list,
    pathsByName: new Map(list.map((p) => [p.name, p])),
    connections: {},
    disabled: [],
    consistent: true,
    previousTakenAt: takenAt - INTERVAL_MS,
    deltas: new Map(),
  };
}

function hook(hookName: "ready" | "not-ready", pathName: string, sourceId: string, occurredAt: number) {
  return {
    hook: hookName,
    path: pathName,
    sourceType: "rtmpConn",
    sourceId,
    occurredAt,
  } as MediaMtxHookEvent;
}

/** A reconciler on a hand-driven clock: `advance` runs the timers that fall due. */
function setup(graceMs = 800) {
  let now = 10_000;
  let current: MtxSnapshot | null = null;
  const timers: { at: number; task: () => void }[] = [];
  const synthesized: Synthesis[] = [];
  const reconciler = new Reconciler({
    graceMs,
    now: () => now,
    after: (delayMs, task) => timers.push({ at: now + delayMs, task }),
    currentSnapshot: () => current,
    synthesize: (s) => synthesized.push(s),
    onChange: () => {},
  });
  reconciler.start();
  return {
    reconciler,
    synthesized,
    poll(paths: Record<string, string | null>) {
      current = snapshot(now, paths);
      reconciler.onSnapshot(current);
    },
    advance(ms: number) {
      now += ms;
      for (const timer of timers.splice(0).sort((a, b) => a.at - b.at)) {
        if (timer.at <= now) timer.task();
        else timers.push(timer);
      }
    },
    get now() {
      return now;
    },
  };
}

describe("Reconciler", () => {
  it("synthesises a ready that never came, half a poll interval after the snapshot showed it", () => {
    const r = setup();
    r.poll({ "cam/1": null });
    r.advance(INTERVAL_MS);
    r.poll({ "cam/1": "s1" });
    r.advance(INTERVAL_MS / 2 - 1);
    expect(r.synthesized).toEqual([]);
    r.advance(1);
    expect(r.synthesized).toEqual([
      { path: "cam/1", hook: "ready", sourceType: "rtmpConn", sourceId: "s1", occurredAt: r.now },
    ]);
    // ... and the not-ready, with the source the path had.
    r.advance(INTERVAL_MS);
    r.poll({ "cam/1": null });
    r.advance(INTERVAL_MS);
    expect(r.synthesized.map((s) => [s.hook, s.sourceId])).toEqual([
      ["ready", "s1"],
      ["not-ready", "s1"],
    ]);
  });

  it("synthesises nothing when the hook arrives within the grace window, and emits the hook", () => {
    const r = setup();
    r.poll({ "cam/1": "s1" });
    expect(r.reconciler.observe(hook("ready", "cam/1", "s1", r.now - 50))).toBe(true);
    r.advance(INTERVAL_MS);
    r.poll({ "cam/1": "s1" });
    r.advance(INTERVAL_MS);
    expect(r.synthesized).toEqual([]);
  });

  it("does not emit the real hook again when it arrives after its synthesis, nor a repeat", () => {
    const r = setup();
    r.poll({ "cam/1": "s1" });
    r.advance(INTERVAL_MS);
    expect(r.synthesized).toHaveLength(1);
    // The late hook ran before the synthesis (it is older): stored, not re-emitted.
    expect(r.reconciler.observe(hook("ready", "cam/1", "s1", r.now - 900))).toBe(false);
    // A repeat of the same state (runOnReady and runOnAvailable both set) is not re-emitted either.
    expect(r.reconciler.observe(hook("ready", "cam/1", "s1", r.now + 1))).toBe(false);
    expect(r.reconciler.observe(hook("not-ready", "cam/1", "s1", r.now + 2))).toBe(true);
  });

  it("trusts a hook newer than the snapshot: a poll that started before the hook is not evidence", () => {
    const r = setup();
    r.poll({ "cam/1": null });
    r.advance(10);
    // The stream came up after that poll started; the old snapshot must not undo it.
    r.reconciler.observe(hook("ready", "cam/1", "s1", r.now));
    r.advance(INTERVAL_MS);
    expect(r.synthesized).toEqual([]);
  });

  it("synthesises a ready for a new source when the hooks of a publisher change were lost", () => {
    const r = setup();
    r.reconciler.observe(hook("ready", "cam/1", "s1", r.now));
    r.advance(INTERVAL_MS);
    r.poll({ "cam/1": "s2" });
    r.advance(INTERVAL_MS);
    expect(r.synthesized.map((s) => [s.hook, s.sourceId])).toEqual([["ready", "s2"]]);
  });

  it("drops a mismatch that the next snapshot no longer shows", () => {
    const r = setup();
    r.poll({ "cam/1": "s1" });
    r.advance(100);
    r.poll({ "cam/1": null });
    r.advance(INTERVAL_MS);
    expect(r.synthesized).toEqual([]);
    expect(r.reconciler.pendingCount).toBe(0);
  });
});
