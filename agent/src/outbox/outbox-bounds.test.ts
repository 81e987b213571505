import { createTempDir } from "@mtx-fleet/testkit";
import { describe, expect, it } from "vitest";
import type { MinimalLogger } from "../store/index.ts";
import { openOutbox } from "./open-outbox.ts";
import type { OutboxRecord } from "./outbox-types.ts";

const T0 = 1_750_000_000_000;
const MINUTE_MS = 60_000;

function manualClock(start = T0): { now: () => number; advance: (ms: number) => void } {
  let now = start;
  return {
    now: () => now,
    advance: (ms) => {
      now += ms;
    },
  };
}

function collectingLogger(): MinimalLogger & { warnings: Record<string, unknown>[] } {
  const warnings: Record<string, unknown>[] = [];
  return {
    warnings,
    info: () => {},
    warn: (fields, message) => void warnings.push({ ...fields, message }),
    error: () => {},
  };
}

const seqs = (records: readonly OutboxRecord[]): number[] => records.map((record) => record.seq);
const range = (from: number, to: number): number[] =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe("Outbox bounds", () => {
  it("drops the oldest undelivered events when over maxBytes, counting them persistently", async () => {
    await using tmp = await createTempDir();
    const logger = collectingLogger();
    const options = { dir: tmp.path, maxBytes: 8 * 1024, segmentBytes: 2 * 1024 };
    const outbox = await openOutbox({ ...options, logger });
    for (let i = 1; i <= 100; i += 1) {
      // Appends never fail because the outbox is full.
      await outbox.append({ kind: "test", payload: { i, pad: "x".repeat(150) } });
      expect(outbox.stats().bytes).toBeLessThanOrEqual(options.maxBytes);
    }
    const { records, dropped } = outbox.stats();
    expect(dropped).toBeGreaterThan(0);
    expect(dropped + records).toBe(100);
    // What is left is the newest events, contiguous.
    expect(seqs(await outbox.read({ afterSeq: 0, limit: 1000 }))).toEqual(range(dropped + 1, 100));
    expect(logger.warnings.at(-1)).toMatchObject({
      message: "outbox over its size or age bound: dropped the oldest undelivered events",
      totalDropped: dropped,
      maxBytes: options.maxBytes,
    });
    await outbox.close();

    await using again = await openOutbox(options);
    expect(again.stats()).toMatchObject({ dropped, records, newestSeq: 100 });
  });

  it("drops segments whose newest event is older than maxAgeMs, and then the active one", async () => {
    await using tmp = await createTempDir();
    const clock = manualClock();
    await using outbox = await openOutbox({ dir: tmp.path, clock, maxAgeMs: MINUTE_MS, segmentBytes: 1024 });
    for (let i = 1; i <= 20; i += 1)
      await outbox.append({ kind: "old", payload: { i, pad: "x".repeat(100) } });
    clock.advance(MINUTE_MS / 2);
    for (let i = 21; i <= 40; i += 1)
      await outbox.append({ kind: "new", payload: { i, pad: "x".repeat(100) } });

    clock.advance(MINUTE_MS / 2 + 1);
    await outbox.prune();
    const left = await outbox.read({ afterSeq: 0, limit: 1000 });
    const { dropped } = outbox.stats();
    expect(dropped).toBeGreaterThan(0);
    expect(seqs(left)).toEqual(range(dropped + 1, 40));
    expect(left.filter((record) => record.kind === "new")).toHaveLength(20);
    expect(outbox.stats().oldestTs).toBe(left[0]!.ts);

    clock.advance(MINUTE_MS);
    await outbox.prune();
    expect(outbox.stats()).toMatchObject({
      records: 0,
      segments: 1,
      dropped: 40,
      oldestTs: null,
      newestSeq: 40,
    });
    expect((await outbox.append({ kind: "fresh", payload: 1 })).seq).toBe(41);
  });

  it("counts as dropped only the events no cursor had delivered", async () => {
    await using tmp = await createTempDir();
    const clock = manualClock();
    await using outbox = await openOutbox({ dir: tmp.path, clock, maxAgeMs: MINUTE_MS, segmentBytes: 1024 });
    for (let i = 1; i <= 30; i += 1)
      await outbox.append({ kind: "test", payload: { i, pad: "x".repeat(100) } });
    await outbox.ack(5);
    clock.advance(2 * MINUTE_MS);
    await outbox.prune();
    expect(outbox.stats()).toMatchObject({ records: 0, dropped: 25, deliveredSeq: 5 });
  });

  it("applies the age bound on open, with the clock of the new process", async () => {
    await using tmp = await createTempDir();
    const first = await openOutbox({ dir: tmp.path, clock: manualClock(), maxAgeMs: MINUTE_MS });
    for (let i = 1; i <= 3; i += 1) await first.append({ kind: "test", payload: i });
    await first.close();
    await using outbox = await openOutbox({
      dir: tmp.path,
      clock: manualClock(T0 + 2 * MINUTE_MS),
      maxAgeMs: MINUTE_MS,
    });
    expect(outbox.stats()).toMatchObject({ records: 0, dropped: 3, newestSeq: 3 });
  });
});
