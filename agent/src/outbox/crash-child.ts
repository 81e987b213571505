/**
 * Test child for outbox-crash.test.ts, run as `node crash-child.ts <dir> <sink> run|drain`.
 *
 * `run`: 8 producers append in a tight loop and print `A <id> <seq>` only after `append`
 * resolved (the moment an event counts as acknowledged); meanwhile a deliverer consumes
 * batches, writes them to the sink file (standing in for the hub, which dedupes by id),
 * fsyncs it and only then acks. The test kills it with SIGKILL at random moments.
 * `drain`: delivers everything left, prints `STATS <json>` and exits.
 */
import { closeSync, fsyncSync, openSync, writeSync } from "node:fs";
import { openOutbox } from "./open-outbox.ts";
import type { OutboxRecord } from "./outbox-types.ts";

const [dir, sink, mode] = process.argv.slice(2);
if (dir === undefined || sink === undefined || (mode !== "run" && mode !== "drain")) {
  throw new Error("usage: crash-child.ts <dir> <sink> run|drain");
}
const outbox = await openOutbox({ dir, segmentBytes: 8 * 1024, maxBytes: 64 * 1024 * 1024 });
const sinkFd = openSync(sink, "a");

/** One write per batch, starting with a newline so a write torn by a kill never merges lines. */
function deliver(batch: readonly OutboxRecord[]): void {
  writeSync(sinkFd, batch.map((record) => `\nS ${record.id} ${record.seq} E`).join(""));
  fsyncSync(sinkFd);
}

process.stdout.write("READY\n");
if (mode === "run") {
  const produce = async (worker: number): Promise<never> => {
    for (let n = 0; ; n += 1) {
      const record = await outbox.append({ kind: "crash.test", payload: { worker, n } });
      process.stdout.write(`A ${record.id} ${record.seq}\n`);
    }
  };
  const consume = async (): Promise<void> => {
    for await (const batch of outbox.consume({ limit: 50 })) {
      deliver(batch);
      await outbox.ack(batch.at(-1)!.seq);
    }
  };
  await Promise.all([...Array.from({ length: 8 }, (_, worker) => produce(worker)), consume()]);
} else {
  for (;;) {
    const batch = await outbox.read({ afterSeq: outbox.cursor(), limit: 500 });
    if (batch.length === 0) break;
    deliver(batch);
    await outbox.ack(batch.at(-1)!.seq);
  }
  await outbox.prune();
  process.stdout.write(`STATS ${JSON.stringify(outbox.stats())}\n`);
  await outbox.close();
  closeSync(sinkFd);
}
