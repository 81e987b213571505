import { type SpoolFile, spoolFileName } from "./hook-wire.ts";
import { join, mkdir } from "./node-builtins.ts";
import { writeFileAtomic } from "./write-file-atomic.ts";

/**
 * Writes one event into the spool directory (created if missing) atomically and durably, and
 * returns the file's path. The agent drains the directory; a file is there in full or not at all.
 */
export async function spoolEvent(
  dir: string,
  event: SpoolFile["event"],
  reason: string,
  now = Date.now(),
): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o770 });
  const file = join(dir, spoolFileName(event.occurredAt, event.id));
  const content: SpoolFile = { version: 1, spooledAt: now, reason, event };
  // Group-writable: MediaMTX's user writes the spool, the agent's user reads and deletes it.
  await writeFileAtomic(file, `${JSON.stringify(content)}\n`, 0o660);
  return file;
}
