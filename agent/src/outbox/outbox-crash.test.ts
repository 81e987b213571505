import { once } from "node:events";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createTempDir, spawnChild } from "@mtx-fleet/testkit";
import { describe, expect, it } from "vitest";
import { openOutbox } from "./open-outbox.ts";
import type { OutboxStats } from "./outbox-types.ts";

const CHILD = fileURLToPath(new URL("./crash-child.ts", import.meta.url));
const KILLS = 25;

/** Runs the child until `kill` (if given) and returns all it printed. */
async function runChild(args: string[], killAfterReadyMs?: number): Promise<string> {
  const child = spawnChild(process.execPath, { args: [CHILD, ...args] });
  let output = "";
  child.child.stdout?.setEncoding("utf8");
  child.child.stdout?.on("data", (chunk: string) => {
    output += chunk;
  });
  // "close" comes after the exit and once stdout is drained, so no printed ack is missed.
  const closed = once(child.child, "close");
  if (killAfterReadyMs !== undefined) {
    const deadline = Date.now() + 10_000;
    while (!output.includes("READY\n") && child.child.exitCode === null && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    if (!output.includes("READY\n")) throw new Error(`crash child did not start:\n${child.stderrTail()}`);
    await new Promise((resolve) => setTimeout(resolve, killAfterReadyMs));
    process.kill(child.pid, "SIGKILL");
  }
  const code = await child.exited;
  await closed;
  if (killAfterReadyMs === undefined && code !== 0)
    throw new Error(`crash child failed:\n${child.stderrTail()}`);
  return output;
}

describe("Outbox under kill -9", () => {
  it("delivers every acknowledged event at least once, in seq order, with no gap, across 25 kills", {
    timeout: 60_000,
  }, async () => {
    await using tmp = await createTempDir();
    const dir = join(tmp.path, "outbox");
    const sink = join(tmp.path, "sink.txt");
    const acked = new Map<string, number>();
    for (let round = 0; round < KILLS; round += 1) {
      const output = await runChild([dir, sink, "run"], 5 + Math.random() * 75);
      for (const [, id, seq] of output.matchAll(/^A (\S+) (\d+)$/gm)) acked.set(id!, Number(seq));
    }
    const drained = await runChild([dir, sink, "drain"]);
    const stats = JSON.parse(/^STATS (.+)$/m.exec(drained)![1]!) as OutboxStats;

    // The hub's view: sink lines in arrival order, deduplicated by id (first copy wins).
    const delivered = new Map<string, number>();
    const order: number[] = [];
    for (const [, id, seq] of (await readFile(sink, "utf8")).matchAll(/^S (\S+) (\d+) E$/gm)) {
      const known = delivered.get(id!);
      if (known !== undefined) {
        expect(known).toBe(Number(seq)); // a redelivered copy is the same record
        continue;
      }
      delivered.set(id!, Number(seq));
      order.push(Number(seq));
    }
    expect(acked.size).toBeGreaterThan(200);
    const lost = [...acked].filter(([id, seq]) => delivered.get(id) !== seq);
    expect(lost).toEqual([]);
    // In seq order and without a gap: exactly 1..n, as delivered.
    expect(order).toEqual(Array.from({ length: order.length }, (_, i) => i + 1));
    expect(stats).toMatchObject({
      corruptSkipped: 0,
      dropped: 0,
      newestSeq: order.length,
      deliveredSeq: order.length,
    });

    await using reopened = await openOutbox({ dir });
    expect(reopened.stats()).toMatchObject({
      corruptSkipped: 0,
      newestSeq: order.length,
      deliveredSeq: order.length,
    });
    const next = await reopened.append({ kind: "after", payload: 1 });
    expect(next.seq).toBe(order.length + 1);
  });
});
