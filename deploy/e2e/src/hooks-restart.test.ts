// What the hooks plugin keeps across an agent restart: the ids it stored (a hook stored and
// then spooled again by a wrapper that timed out is not stored twice) and which paths were
// ready (a not-ready that never came while the agent was down is synthesised after it starts).
import { join } from "node:path";
import { runWrapperProcess, spoolEvent } from "@mtx-fleet/plugin-hooks/testing";
import { waitFor } from "@mtx-fleet/testkit";
import { describe, expect, it } from "vitest";
import { rows, spooledEvents, startHooksStack } from "./hooks-stack.ts";

describe("hooks across an agent restart", () => {
  it("stores a hook once when it was stored and also spooled, and synthesises the not-ready lost meanwhile", async () => {
    await using stack = await startHooksStack({
      // cam/r's not-ready never runs: only the persisted state can tell it went away.
      pathsYaml: '  cam/r:\n    runOnUnavailable: ""\n',
    });
    const env = {
      MTX_PATH: "cam/dup",
      MTX_HOOK_URL: stack.receiverUrl,
      MTX_HOOK_TOKEN_FILE: join(stack.hooksDir, "token"),
    };
    expect((await runWrapperProcess(["read"], { env })).exit).toBe(0);
    await stack.sim.control.publish("cam/r", "synthetic");
    const before = await waitFor(
      () => stack.hubHooks(),
      (list) =>
        ["ready", "online"].every((hook) =>
          list.some((e) => e.pathName === "cam/r" && e.payload.hookReceived.hook === hook),
        ),
    );
    const stored = before.find((e) => e.pathName === "cam/dup");
    await stack.stopAgent();

    // As if that wrapper's POST had timed out after the agent stored it: the same event, spooled.
    const spoolDir = join(stack.hooksDir, "spool");
    const occurredAt = Date.parse(stored?.occurredAt ?? "");
    const event = {
      id: stored?.id ?? "",
      hook: "read",
      occurredAt,
      path: "cam/dup",
      env: { MTX_PATH: "cam/dup" },
    } as const;
    await spoolEvent(spoolDir, event, "no answer from the agent within 2000 ms");
    await stack.sim.control.unpublish("cam/r");

    await stack.startAgent();
    await waitFor(
      () => spooledEvents(spoolDir),
      (list) => list.length === 0,
    );
    const events = await waitFor(
      () => stack.hubHooks(),
      (list) => list.some((e) => e.pathName === "cam/r" && e.payload.hookReceived.hook === "not-ready"),
      20_000,
    );
    expect(rows(events.filter((e) => e.pathName === "cam/dup" || e.pathName === "cam/r")).sort()).toEqual(
      [
        ["read", "cam/dup", "hook"],
        ["ready", "cam/r", "hook"],
        ["online", "cam/r", "hook"],
        ["offline", "cam/r", "spool"],
        ["not-ready", "cam/r", "synthesized"],
      ].sort(),
    );
    const local = (await stack.agent().get("/api/v1/events?limit=500")).body as {
      items: Array<{ id: string }>;
    };
    expect(local.items.filter((e) => e.id === stored?.id)).toHaveLength(1);
    expect(String((await stack.agent().get("/metrics")).body)).toMatch(
      /^mtx_hooks_duplicates_total\{origin="spool"[^}]*\} 1$/m,
    );
  }, 50_000);
});
