// A hook that never comes: a path whose own config clears the snippet's ready hooks (as a path
// with its own runOnAvailable would) is synthesised from the API snapshot and reaches the hub
// marked as such, within two poll intervals.
import { waitFor } from "@mtx-fleet/testkit";
import { describe, expect, it } from "vitest";
import { rows, startHooksStack } from "./hooks-stack.ts";

// No real ready hook competes here, so a short interval keeps the test quick.
const POLL_INTERVAL_MS = 1_000;

describe("reconciliation against the API snapshot", () => {
  it("synthesises the ready and not-ready MediaMTX never ran, within two poll intervals", async () => {
    await using stack = await startHooksStack({
      pathsYaml: '  cam/quiet:\n    runOnAvailable: ""\n    runOnUnavailable: ""\n',
      pollIntervalMs: POLL_INTERVAL_MS,
      // Detection ≤ 1.1 intervals (10 % jitter) + a short grace leaves room for late timers on a
      // loaded machine within the two intervals asserted below (the default grace is ½ interval).
      hooksConfig: { graceMs: 250 },
    });
    const publishedAt = Date.now();
    await stack.sim.control.publish("cam/quiet", "synthetic", { sourceType: "rtspSession" });
    const ready = await waitFor(
      () => stack.hubHooks(),
      (list) => list.some((e) => e.pathName === "cam/quiet" && e.payload.hookReceived.hook === "ready"),
      20_000,
    );
    const synthesized = ready.find((e) => e.payload.hookReceived.hook === "ready");
    expect(synthesized?.payload.hookReceived).toEqual({
      hook: "ready",
      env: { MTX_PATH: "cam/quiet", MTX_SOURCE_TYPE: "rtspSession", MTX_SOURCE_ID: expect.any(String) },
      origin: "synthesized",
    });
    expect(Date.parse(synthesized?.occurredAt ?? "") - publishedAt).toBeLessThanOrEqual(2 * POLL_INTERVAL_MS);

    // MediaMTX stops a running runOnOnline at the unpublish: let it arrive first.
    await waitFor(
      () => stack.hubHooks(),
      (list) => list.some((e) => e.pathName === "cam/quiet" && e.payload.hookReceived.hook === "online"),
      20_000,
    );
    const unpublishedAt = Date.now();
    await stack.sim.control.unpublish("cam/quiet");
    const events = await waitFor(
      () => stack.hubHooks(),
      (list) => list.some((e) => e.pathName === "cam/quiet" && e.payload.hookReceived.hook === "not-ready"),
      20_000,
    );
    const quiet = events.filter((e) => e.pathName === "cam/quiet");
    // online/offline still ran (only the ready hooks were cleared): real hooks stay real.
    expect(rows(quiet).sort()).toEqual(
      [
        ["ready", "cam/quiet", "synthesized"],
        ["online", "cam/quiet", "hook"],
        ["not-ready", "cam/quiet", "synthesized"],
        ["offline", "cam/quiet", "hook"],
      ].sort(),
    );
    const notReady = quiet.find((e) => e.payload.hookReceived.hook === "not-ready");
    expect(Date.parse(notReady?.occurredAt ?? "") - unpublishedAt).toBeLessThanOrEqual(2 * POLL_INTERVAL_MS);
  }, 50_000);
});
