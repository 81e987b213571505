import { once } from "node:events";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createTempDir, spawnChild, waitForLine } from "@mtx-fleet/testkit";
import { describe, expect, it } from "vitest";
import { openLocalStore } from "./local-store.ts";

const CHILD = fileURLToPath(new URL("./store-crash-child.ts", import.meta.url));

describe("openLocalStore under kill -9", () => {
  it("always reopens intact with at least the last acknowledged value", async () => {
    await using tmp = await createTempDir();
    const file = join(tmp.path, "state.json");
    let lastAcked = 0;
    for (let round = 0; round < 6; round += 1) {
      const child = spawnChild(process.execPath, { args: [CHILD, file] });
      // "close" comes after the exit and after stdout is drained: no ACK line is missed.
      const closed = once(child.child, "close");
      let output = "";
      child.child.stdout?.setEncoding("utf8");
      const start = await waitForLine(
        child,
        (line) => (line.startsWith("READY ") ? Number(line.slice(6)) : undefined),
        10_000,
        "store child",
      );
      expect(start).toBeGreaterThanOrEqual(lastAcked);
      child.child.stdout?.on("data", (chunk: string) => {
        output += chunk;
      });
      await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 60));
      process.kill(child.pid, "SIGKILL");
      await closed;
      const acked = [...output.matchAll(/^ACK (\d+)$/gm)].map((match) => Number(match[1]));
      lastAcked = Math.max(lastAcked, ...acked);
    }
    const store = await openLocalStore({ file, defaults: { count: 0, padding: "" } });
    expect(store.read().count).toBeGreaterThanOrEqual(lastAcked);
    expect(lastAcked).toBeGreaterThan(0);
    expect((await readdir(tmp.path)).sort()).toEqual(["state.json", "state.json.bak"]);
  });
});
