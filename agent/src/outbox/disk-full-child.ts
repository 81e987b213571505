/**
 * Test child for outbox-disk-full.test.ts: fills the disk (or the file-size limit) with
 * appends and reports, as one JSON line, what was acknowledged, how appends failed and
 * what the outbox holds afterwards. Mode `enospc` expects `<dir>` on a tiny tmpfs holding a
 * `filler.bin` it deletes to "free space"; mode `efbig` runs under `ulimit -f`.
 */
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { MtxError } from "@mtx-fleet/plugin-api";
import { openOutbox } from "./open-outbox.ts";

const [dir, mode] = process.argv.slice(2);
if (dir === undefined || (mode !== "enospc" && mode !== "efbig")) {
  throw new Error("usage: disk-full-child.ts <dir> enospc|efbig");
}
// With a handler, exceeding `ulimit -f` fails the write with EFBIG instead of killing us.
process.on("SIGXFSZ", () => {});

const logged: string[] = [];
const logger = {
  info: () => {},
  warn: (_fields: object, message: string) => void logged.push(message),
  error: (_fields: object, message: string) => void logged.push(message),
};
const outboxDir = join(dir, "outbox");
// Under `ulimit -f` a segment must be able to outgrow the limit.
const options = {
  dir: outboxDir,
  maxBytes: 64 * 1024 * 1024,
  segmentBytes: (mode === "efbig" ? 1024 : 16) * 1024,
  logger,
};
let outbox = await openOutbox(options);
const acked: string[] = [];
const payload = { pad: "x".repeat(900) };

/** Appends in waves of 8 concurrent events until a wave has a failure; returns that failure. */
async function appendUntilFailure(): Promise<unknown> {
  for (let wave = 0; wave < 1000; wave += 1) {
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, () => outbox.append({ kind: "fill", payload })),
    );
    for (const result of results) if (result.status === "fulfilled") acked.push(result.value.id);
    const failure = results.find((result) => result.status === "rejected");
    if (failure !== undefined) return failure.reason;
  }
  throw new Error("the disk never filled");
}

async function storedIds(): Promise<string[]> {
  return (await outbox.read({ afterSeq: 0, limit: 100_000, maxBytes: 1e9 })).map((record) => record.id);
}

const failure = await appendUntilFailure();
// The rolled-back wave freed a little room: single appends may fit, but not for long.
let failedAgain = false;
for (let i = 0; i < 100 && !failedAgain; i += 1) {
  try {
    acked.push((await outbox.append({ kind: "fill", payload })).id);
  } catch {
    failedAgain = true;
  }
}
const ackedWhenFull = acked.length;
const storedWhenFull = await storedIds();
let afterSpaceBack: unknown = null;
if (mode === "enospc") {
  await rm(join(dir, "filler.bin"));
  for (let i = 0; i < 5; i += 1) acked.push((await outbox.append({ kind: "after", payload: i })).id);
  await outbox.close();
  outbox = await openOutbox(options);
  afterSpaceBack = { storedIds: await storedIds(), stats: outbox.stats() };
}
await outbox.close();
const error =
  failure instanceof MtxError ? { code: failure.code, details: failure.details } : String(failure);
process.stdout.write(
  `${JSON.stringify({ error, ackedWhenFull, failedAgain, acked, storedWhenFull, afterSpaceBack, logged })}\n`,
);
