import { describe, expect, it } from "vitest";
import { type Connectivity, ConnectivityTracker } from "./connectivity-tracker.ts";

describe("ConnectivityTracker", () => {
  it("stretches each deadline by its jitter and reports every change once", () => {
    const changes: Array<[string, Connectivity, Connectivity]> = [];
    const tracker = new ConnectivityTracker({
      staleAfterMs: 1_000,
      offlineAfterMs: 10_000,
      jitterRatio: 0.5,
      random: () => 1,
      onChange: (node, from, to) => changes.push([node, from, to]),
    });
    tracker.markSeen("n1", 0);
    tracker.sweep(1_499);
    const early = tracker.stateOf("n1").state;
    tracker.sweep(1_500);
    tracker.sweep(1_600);
    tracker.sweep(15_000);
    expect({ early, changes, state: tracker.stateOf("n1") }).toEqual({
      early: "online",
      changes: [
        ["n1", "offline", "online"],
        ["n1", "online", "stale"],
        ["n1", "stale", "offline"],
      ],
      state: { state: "offline", lastSeenAt: 0 },
    });
  });

  it("ignores a sign of life older than the last one and reports never-seen nodes offline", () => {
    const tracker = new ConnectivityTracker({ staleAfterMs: 1_000, offlineAfterMs: 2_000, random: () => 0 });
    tracker.markSeen("n1", 5_000);
    tracker.markSeen("n1", 4_000);
    expect([tracker.stateOf("n1"), tracker.stateOf("n2")]).toEqual([
      { state: "online", lastSeenAt: 5_000 },
      { state: "offline", lastSeenAt: null },
    ]);
  });
});
