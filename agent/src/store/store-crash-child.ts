/**
 * Test child for local-store.crash.test.ts: increments a counter in the store forever and
 * prints each value only after `update` resolved, until it is killed.
 */
import { openLocalStore } from "./local-store.ts";

const file = process.argv[2];
if (file === undefined) throw new Error("usage: store-crash-child.ts <file>");
const store = await openLocalStore({ file, defaults: { count: 0, padding: "" } });
process.stdout.write(`READY ${store.read().count}\n`);
for (;;) {
  // Padding makes each write span several pages, so a kill can land mid-write.
  const next = await store.update((draft) => ({ count: draft.count + 1, padding: "x".repeat(20_000) }));
  process.stdout.write(`ACK ${next.count}\n`);
}
