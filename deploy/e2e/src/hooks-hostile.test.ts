// Values MediaMTX hands a hook are data, never code: quotes, $(), backticks, ;, newlines, a
// 64 KB query and bytes that are not UTF-8 reach the hub exactly as they were, and nothing
// runs them (MediaMTX uses no shell; mtx-hook reads them from its environment).
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runWrapperProcess } from "@mtx-fleet/plugin-hooks/testing";
import { waitFor } from "@mtx-fleet/testkit";
import { describe, expect, it } from "vitest";
import { type HubHookEvent, startHooksStack } from "./hooks-stack.ts";

const TEST_TIMEOUT_MS = 50_000;

function hostileQuery(marker: string): string {
  return [
    `q="it's"`,
    `sub=$(touch ${marker})`,
    `tick=\`touch ${marker}\``,
    `semi=;touch ${marker};`,
    "amp=&eq==&pct=%41%zz",
    "uni=ü€\u{1F600}",
    "nl=line1\nline2\ttab",
    `pad=${"x".repeat(64 * 1024)}`,
  ].join("&");
}

/** The event of a hook that really ran (not one synthesised before it arrived). */
const hookOf = (events: readonly HubHookEvent[], hook: string, path: string) =>
  events.find(
    (e) =>
      e.payload.hookReceived.hook === hook && e.pathName === path && e.payload.hookReceived.origin === "hook",
  );

describe("hostile hook values", () => {
  it(
    "reach the hub intact and unexecuted from MediaMTX v1.20.1 (MTX_QUERY escaped once more)",
    async () => {
      const marker = join(tmpdir(), `mtx-pwned-${process.pid}-${Date.now()}`);
      const query = hostileQuery(marker);
      await using stack = await startHooksStack();
      await stack.sim.control.publish("cam/hostile", "synthetic", { query });
      await waitFor(
        () => stack.hubHooks(),
        (list) => hookOf(list, "ready", "cam/hostile") !== undefined,
      );
      const reader = await stack.sim.control.addReader("cam/hostile", "rtspSession", query);
      const events = await waitFor(
        () => stack.hubHooks(),
        (list) => hookOf(list, "read", "cam/hostile") !== undefined,
      );
      for (const hook of ["ready", "read"]) {
        const escaped = hookOf(events, hook, "cam/hostile")?.payload.hookReceived.env?.MTX_QUERY ?? "";
        // What MediaMTX sent (Go's url.QueryEscape of the query): ASCII, and back to the original.
        expect(escaped).toMatch(/^[A-Za-z0-9%+._~-]+$/);
        expect(decodeURIComponent(escaped.replaceAll("+", " "))).toBe(query);
      }
      await stack.sim.control.removeReader("cam/hostile", reader.id);
      expect(existsSync(marker)).toBe(false);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "reach the hub intact and unexecuted from MediaMTX v1.9.3 (MTX_QUERY raw), with the legacy snippet",
    async () => {
      const marker = join(tmpdir(), `mtx-pwned-${process.pid}-${Date.now()}`);
      const query = hostileQuery(marker);
      await using stack = await startHooksStack({ mimic: "v1.9.3" });
      await stack.sim.control.publish("cam/hostile", "synthetic", { query });
      const events = await waitFor(
        () => stack.hubHooks(),
        (list) => hookOf(list, "ready", "cam/hostile") !== undefined,
      );
      expect(hookOf(events, "ready", "cam/hostile")?.payload.hookReceived.env?.MTX_QUERY).toBe(query);
      expect(existsSync(marker)).toBe(false);

      // Bytes that are not UTF-8 (MediaMTX passes whatever the client sent on old nodes):
      // the simulator cannot put them in an environment, so the wrapper runs directly here.
      const bytes = Buffer.concat([
        Buffer.from("a="),
        Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0x80]),
        Buffer.from("$(x)"),
      ]);
      const run = await runWrapperProcess(["ready"], {
        env: {
          MTX_PATH: "cam/bytes",
          MTX_SOURCE_TYPE: "rtspSession",
          MTX_HOOK_URL: stack.receiverUrl,
          MTX_HOOK_TOKEN_FILE: join(stack.hooksDir, "token"),
        },
        rawEnv: { MTX_QUERY: bytes },
      });
      expect(run.exit).toBe(0);
      const withBytes = await waitFor(
        () => stack.hubHooks(),
        (list) => hookOf(list, "ready", "cam/bytes") !== undefined,
      );
      const received = hookOf(withBytes, "ready", "cam/bytes")?.payload.hookReceived;
      expect(received?.env).toEqual({ MTX_PATH: "cam/bytes", MTX_SOURCE_TYPE: "rtspSession" });
      expect(Buffer.from(received?.envBase64?.MTX_QUERY ?? "", "base64")).toEqual(bytes);
    },
    TEST_TIMEOUT_MS,
  );
});
