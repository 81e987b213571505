import { appendFile, open, readdir, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createTempDir } from "@mtx-fleet/testkit";
import { describe, expect, it } from "vitest";
import type { MinimalLogger } from "../store/index.ts";
import { encodeFrame, FRAME_HEADER_BYTES } from "./frame.ts";
import { openOutbox } from "./open-outbox.ts";
import type { OutboxRecord } from "./outbox-types.ts";

function collectingLogger(): MinimalLogger & { lines: { level: string; message: string }[] } {
  const lines: { level: string; message: string }[] = [];
  const at = (level: string) => (_fields: object, message: string) => void lines.push({ level, message });
  return { lines, info: at("info"), warn: at("warn"), error: at("error") };
}

/** Ten records in one segment; returns the segment file and the file offset of each frame. */
async function tenRecords(
  dir: string,
): Promise<{ file: string; offsets: number[]; records: OutboxRecord[] }> {
  const outbox = await openOutbox({ dir });
  const records: OutboxRecord[] = [];
  for (let i = 1; i <= 10; i += 1) records.push(await outbox.append({ kind: "test", payload: { i } }));
  await outbox.close();
  const offsets: number[] = [];
  let offset = 0;
  for (const { id, kind, payload } of records) {
    offsets.push(offset);
    offset += FRAME_HEADER_BYTES + Buffer.byteLength(JSON.stringify({ id, kind, payload }));
  }
  const [name] = (await readdir(dir)).filter((entry) => entry.startsWith("seg-"));
  const file = join(dir, name!);
  expect((await stat(file)).size).toBe(offset);
  return { file, offsets, records };
}

async function flipByte(file: string, position: number): Promise<void> {
  const handle = await open(file, "r+");
  const byte = Buffer.alloc(1);
  await handle.read(byte, 0, 1, position);
  byte[0] = byte[0]! ^ 0x5a;
  await handle.write(byte, 0, 1, position);
  await handle.close();
}

const seqs = (records: readonly OutboxRecord[]): number[] => records.map((record) => record.seq);

describe("Outbox recovery on open", () => {
  const nextFrame = encodeFrame(11, 1, Buffer.from('{"id":"x","kind":"test","payload":{"i":11}}'));
  const badCrcFrame = Buffer.from(nextFrame);
  badCrcFrame[badCrcFrame.length - 3]! ^= 0xff;
  it.each([
    ["half a frame", nextFrame.subarray(0, nextFrame.length - 7)],
    ["a cut header", nextFrame.subarray(0, 10)],
    ["zeros, as a power cut can leave", Buffer.alloc(4096)],
    ["a whole frame with a bad CRC", badCrcFrame],
  ])("cuts off a torn tail (%s) and appends after the last good record", async (_what, tail) => {
    await using tmp = await createTempDir();
    const { file, records } = await tenRecords(tmp.path);
    const goodSize = (await stat(file)).size;
    await appendFile(file, tail);
    const logger = collectingLogger();

    await using outbox = await openOutbox({ dir: tmp.path, logger });
    expect((await stat(file)).size).toBe(goodSize);
    expect(outbox.stats()).toMatchObject({ records: 10, newestSeq: 10, corruptSkipped: 0 });
    expect(logger.lines).toEqual([
      { level: "warn", message: "outbox cut off a torn write (events never acknowledged)" },
    ]);
    const next = await outbox.append({ kind: "test", payload: { i: 11 } });
    expect(next.seq).toBe(11);
    expect(await outbox.read({ afterSeq: 0 })).toEqual([...records, next]);
  });

  it.each([
    ["its body", 40],
    ["its length field", 5],
    ["its magic", 0],
  ])("skips a record damaged in the middle (%s) and counts it, keeping the ones after", async (_what, at) => {
    await using tmp = await createTempDir();
    const { file, offsets } = await tenRecords(tmp.path);
    await flipByte(file, offsets[4]! + at);
    const logger = collectingLogger();

    await using outbox = await openOutbox({ dir: tmp.path, logger });
    expect(seqs(await outbox.read({ afterSeq: 0 }))).toEqual([1, 2, 3, 4, 6, 7, 8, 9, 10]);
    expect(outbox.stats()).toMatchObject({ records: 9, newestSeq: 10, corruptSkipped: 1 });
    expect(logger.lines).toEqual([{ level: "error", message: "outbox skipped damaged records (bit rot?)" }]);
    expect((await outbox.append({ kind: "test", payload: 11 })).seq).toBe(11);
  });

  it("skips damage that appears while running, counting each place once", async () => {
    await using tmp = await createTempDir();
    const { file, offsets } = await tenRecords(tmp.path);
    await using outbox = await openOutbox({ dir: tmp.path });
    await flipByte(file, offsets[2]! + 30);
    expect(seqs(await outbox.read({ afterSeq: 0 }))).toEqual([1, 2, 4, 5, 6, 7, 8, 9, 10]);
    expect(seqs(await outbox.read({ afterSeq: 0 }))).toEqual([1, 2, 4, 5, 6, 7, 8, 9, 10]);
    expect(seqs(await outbox.recent({ limit: 3, beforeSeq: 5 }))).toEqual([4, 2, 1]);
    expect(outbox.stats().corruptSkipped).toBe(1);
  });

  it("opens with cursors at 0 (redelivery, never loss) when state.json and its backup are damaged", async () => {
    await using tmp = await createTempDir();
    const first = await openOutbox({ dir: tmp.path });
    for (let i = 0; i < 3; i += 1) await first.append({ kind: "test", payload: i });
    await first.ack(2);
    await first.close();
    await writeFile(join(tmp.path, "state.json"), "{garbage");
    await writeFile(join(tmp.path, "state.json.bak"), "");
    const logger = collectingLogger();

    await using outbox = await openOutbox({ dir: tmp.path, logger });
    expect(outbox.cursor()).toBe(0);
    expect(seqs(await outbox.read({ afterSeq: outbox.cursor() }))).toEqual([1, 2, 3]);
    expect(logger.lines).toEqual([
      { level: "error", message: "outbox state is damaged; redelivering everything from the start" },
    ]);
  });

  it("falls back to the previous cursor when only state.json is damaged", async () => {
    await using tmp = await createTempDir();
    const first = await openOutbox({ dir: tmp.path });
    for (let i = 0; i < 3; i += 1) await first.append({ kind: "test", payload: i });
    await first.ack(1);
    await first.ack(2);
    await first.close();
    await writeFile(join(tmp.path, "state.json"), "{garbage");
    await using outbox = await openOutbox({ dir: tmp.path });
    expect(outbox.cursor()).toBe(1);
  });
});
