import { join } from "node:path";
import { MtxError } from "@mtx-fleet/plugin-api";
import { createTempDir } from "@mtx-fleet/testkit";
import { describe, expect, it } from "vitest";
import { openOutbox } from "./open-outbox.ts";
import type { OutboxRecord } from "./outbox-types.ts";

const T0 = 1_750_000_000_000;
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function manualClock(start = T0): { now: () => number; advance: (ms: number) => void } {
  let now = start;
  return {
    now: () => now,
    advance: (ms) => {
      now += ms;
    },
  };
}

async function appendMany(outbox: Awaited<ReturnType<typeof openOutbox>>, count: number, bytes = 100) {
  const records: OutboxRecord[] = [];
  for (let i = 0; i < count; i += 1) {
    records.push(await outbox.append({ kind: "test", payload: { i, pad: "x".repeat(bytes) } }));
  }
  return records;
}

const seqs = (records: readonly OutboxRecord[]): number[] => records.map((record) => record.seq);
const range = (from: number, to: number): number[] =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe("Outbox", () => {
  it("resolves each append with the stored record and reads the same records back", async () => {
    await using tmp = await createTempDir();
    await using outbox = await openOutbox({ dir: tmp.path, clock: manualClock() });
    const records = await Promise.all([
      outbox.append({ kind: "hook.ready", payload: { path: "cam1" } }),
      outbox.append({ kind: "probe.verdict", payload: null, id: "given-1", occurredAt: new Date(T0 - 5000) }),
    ]);
    expect(records).toEqual([
      { id: expect.stringMatching(UUID_V7), seq: 1, ts: T0, kind: "hook.ready", payload: { path: "cam1" } },
      { id: "given-1", seq: 2, ts: T0, kind: "probe.verdict", payload: null, occurredAt: T0 - 5000 },
    ]);
    expect(await outbox.read({ afterSeq: 0 })).toEqual(records);
  });

  it("keeps an event's path and request id across a reopen, and refuses a runaway path", async () => {
    await using tmp = await createTempDir();
    const outbox = await openOutbox({ dir: tmp.path, clock: manualClock() });
    const record = await outbox.append({
      kind: "probe.verdict",
      payload: {},
      path: "cam/1",
      requestId: "r-1",
    });
    await expect(outbox.append({ kind: "x", payload: {}, path: "p".repeat(2000) })).rejects.toMatchObject({
      code: "MTX_INVALID_INPUT",
    });
    await outbox.close();
    await using reopened = await openOutbox({ dir: tmp.path, clock: manualClock() });
    expect(await reopened.read({ afterSeq: 0 })).toEqual([
      { id: record.id, seq: 1, ts: T0, kind: "probe.verdict", payload: {}, path: "cam/1", requestId: "r-1" },
    ]);
  });

  it("keeps call order for many concurrent appends sharing group commits", async () => {
    await using tmp = await createTempDir();
    await using outbox = await openOutbox({ dir: tmp.path, segmentBytes: 16 * 1024 });
    const appended = await Promise.all(range(1, 2000).map((i) => outbox.append({ kind: "n", payload: i })));
    expect(appended.map((record) => [record.seq, record.payload])).toEqual(range(1, 2000).map((i) => [i, i]));
    const read = await outbox.read({ afterSeq: 0, limit: 5000, maxBytes: 10 * 1024 * 1024 });
    expect(read).toEqual(appended);
    const ids = appended.map((record) => record.id);
    expect([...ids].sort()).toEqual(ids); // UUIDv7: time-ordered
    expect(outbox.stats().segments).toBeGreaterThan(2);
  });

  it("keeps seq increasing across reopens, also after every record was delivered and deleted", async () => {
    await using tmp = await createTempDir();
    const options = { dir: tmp.path, segmentBytes: 1024, maxBytes: 64 * 1024 };
    const first = await openOutbox(options);
    await appendMany(first, 30);
    await first.ack(30);
    await first.prune();
    // Only the active segment stays; its delivered records go when it is no longer active.
    expect(first.stats()).toMatchObject({ segments: 1, newestSeq: 30, deliveredSeq: 30 });
    expect(first.stats().records).toBeLessThan(30);
    await first.close();

    const second = await openOutbox(options);
    expect((await second.append({ kind: "after", payload: 1 })).seq).toBe(31);
    await second.close();
    const third = await openOutbox(options);
    expect(third.stats().newestSeq).toBe(31);
    expect(seqs(await third.read({ afterSeq: 0 }))).toEqual([31]);
    await third.close();
  });

  it("consumes batches from the persisted cursor on and waits for new records", async () => {
    await using tmp = await createTempDir();
    const first = await openOutbox({ dir: tmp.path });
    await appendMany(first, 5);
    await first.ack(2);
    await first.close();

    await using outbox = await openOutbox({ dir: tmp.path });
    expect(outbox.cursor()).toBe(2);
    const controller = new AbortController();
    const batches: number[][] = [];
    for await (const batch of outbox.consume({ limit: 2, signal: controller.signal })) {
      batches.push(seqs(batch));
      if (batches.length === 2) void outbox.append({ kind: "late", payload: 6 });
      if (batches.length === 3) controller.abort();
    }
    expect(batches).toEqual([[3, 4], [5], [6]]);
  });

  it("persists acks durably and ignores acks below the cursor", async () => {
    await using tmp = await createTempDir();
    const first = await openOutbox({ dir: tmp.path });
    await appendMany(first, 10);
    await Promise.all([first.ack(4), first.ack(7), first.ack(3)]);
    expect(first.cursor()).toBe(7);
    await first.close();
    await using outbox = await openOutbox({ dir: tmp.path });
    expect([outbox.cursor(), outbox.stats().deliveredSeq]).toEqual([7, 7]);
    expect(seqs(await outbox.read({ afterSeq: outbox.cursor() }))).toEqual([8, 9, 10]);
  });

  it("refuses acks beyond the newest record and unknown cursors", async () => {
    await using tmp = await createTempDir();
    await using outbox = await openOutbox({ dir: tmp.path });
    await appendMany(outbox, 3);
    await expect(outbox.ack(4)).rejects.toThrow(/newest stored seq is 3/);
    await expect(outbox.ack(1, "nope")).rejects.toThrow(/unknown outbox cursor 'nope'/);
    expect(() => outbox.cursor("nope")).toThrow(MtxError);
  });

  it("keeps a segment until every named cursor has passed it", async () => {
    await using tmp = await createTempDir();
    await using outbox = await openOutbox({
      dir: tmp.path,
      segmentBytes: 1024,
      maxBytes: 64 * 1024,
      cursors: ["hub", "local-api"],
    });
    await appendMany(outbox, 30);
    const segments = outbox.stats().segments;
    await outbox.ack(30, "hub");
    await outbox.prune();
    expect(outbox.stats()).toMatchObject({ segments, deliveredSeq: 0, cursors: { hub: 30, "local-api": 0 } });
    await outbox.ack(30, "local-api");
    await outbox.prune();
    expect(outbox.stats()).toMatchObject({ segments: 1, deliveredSeq: 30 });
  });

  it("lists recent records newest first, page by page across segments", async () => {
    await using tmp = await createTempDir();
    await using outbox = await openOutbox({ dir: tmp.path, segmentBytes: 1024, maxBytes: 64 * 1024 });
    await appendMany(outbox, 25);
    expect(seqs(await outbox.recent({ limit: 10 }))).toEqual(range(16, 25).reverse());
    expect(seqs(await outbox.recent({ limit: 10, beforeSeq: 16 }))).toEqual(range(6, 15).reverse());
    expect(seqs(await outbox.recent({ limit: 10, beforeSeq: 6 }))).toEqual(range(1, 5).reverse());
    expect(await outbox.recent({ limit: 10, beforeSeq: 1 })).toEqual([]);
  });

  it("reads batches bounded by count and bytes, at least one record each", async () => {
    await using tmp = await createTempDir();
    await using outbox = await openOutbox({ dir: tmp.path });
    await appendMany(outbox, 10, 1000);
    expect(seqs(await outbox.read({ afterSeq: 0, limit: 4 }))).toEqual([1, 2, 3, 4]);
    expect(seqs(await outbox.read({ afterSeq: 4, maxBytes: 2500 }))).toEqual([5, 6, 7]);
    expect(seqs(await outbox.read({ afterSeq: 7, maxBytes: 1 }))).toEqual([8]);
  });

  it("refuses events it cannot store, without taking a seq", async () => {
    await using tmp = await createTempDir();
    await using outbox = await openOutbox({ dir: tmp.path });
    const refused = await Promise.allSettled([
      outbox.append({ kind: "", payload: 1 }),
      outbox.append({ kind: "big", payload: 10n }),
      outbox.append({ kind: "huge", payload: "x".repeat(2 * 1024 * 1024) }),
      outbox.append({ kind: "when", payload: 1, occurredAt: Number.NaN }),
    ]);
    expect(
      refused.map(
        (result) => result.status === "rejected" && MtxError.is(result.reason, "MTX_INVALID_INPUT"),
      ),
    ).toEqual([true, true, true, true]);
    expect((await outbox.append({ kind: "ok", payload: 1 })).seq).toBe(1);
  });

  it("refuses options whose bounds cannot hold two segments", async () => {
    await using tmp = await createTempDir();
    await expect(openOutbox({ dir: tmp.path, maxBytes: 10_000, segmentBytes: 8_000 })).rejects.toThrow(
      /maxBytes must be an integer >= 2 \* segmentBytes/,
    );
    await expect(openOutbox({ dir: tmp.path, cursors: [] })).rejects.toThrow(/at least one cursor/);
  });

  it("rejects appends after close and ends consumers", async () => {
    await using tmp = await createTempDir();
    const outbox = await openOutbox({ dir: join(tmp.path, "new", "dir") });
    const pending = outbox.append({ kind: "before-close", payload: 1 });
    const consumer = (async () => {
      const got: number[] = [];
      for await (const batch of outbox.consume()) got.push(...seqs(batch));
      return got;
    })();
    await outbox.close();
    expect((await pending).seq).toBe(1);
    await expect(outbox.append({ kind: "after", payload: 1 })).rejects.toThrow(/closed/);
    expect(await consumer).toEqual(expect.any(Array));
  });
});
