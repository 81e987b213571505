import { constants } from "node:fs";
import { type FileHandle, open, unlink } from "node:fs/promises";
import { dirname } from "node:path";
import { errnoCode, fsyncDir, type MinimalLogger } from "../store/index.ts";
import { addToSegment, emptySegment, type Segment } from "./segment.ts";

/** A frame to append with the summary fields the log keeps. */
export interface LogEntry {
  readonly seq: number;
  readonly ts: number;
  readonly frame: Buffer;
}

/**
 * The segment files of the outbox, oldest first, the last one open for appends. It does the
 * file work (group-commit writes, rotation, rollback of a failed write, deletion); the
 * `Outbox` decides when. Not safe for concurrent calls: the outbox runs them one at a time.
 */
export class SegmentLog {
  readonly dir: string;
  readonly #segments: Segment[];
  readonly #logger: MinimalLogger;
  #handle: FileHandle;
  #needsRepair = false;

  constructor(dir: string, segments: Segment[], handle: FileHandle, logger: MinimalLogger) {
    this.dir = dir;
    this.#segments = segments;
    this.#handle = handle;
    this.#logger = logger;
  }

  /** A copy of the segment list (the objects are live: `bytes` grows with appends). */
  segments(): readonly Segment[] {
    return [...this.#segments];
  }

  active(): Segment {
    return this.#segments.at(-1)!;
  }

  totalBytes(): number {
    return this.#segments.reduce((sum, segment) => sum + segment.bytes, 0);
  }

  /**
   * Writes all entries with one write and one fdatasync: durable when this resolves. On a
   * failure the file is cut back to its last durable frame, so nothing half-written stays.
   */
  async append(entries: readonly LogEntry[]): Promise<void> {
    await this.#repairIfNeeded();
    const segment = this.active();
    const buffer = Buffer.concat(entries.map((entry) => entry.frame));
    try {
      await writeAll(this.#handle, buffer, segment.bytes);
      await this.#handle.datasync();
    } catch (e) {
      await this.#truncateBack();
      throw e;
    }
    let end = segment.bytes;
    for (const { seq, ts, frame } of entries) {
      end += frame.length;
      addToSegment(segment, { seq, ts, end });
    }
  }

  /** Starts a new active segment; its directory entry is fsync'd before any record goes in. */
  async rotate(baseSeq: number): Promise<void> {
    const segment = emptySegment(this.dir, baseSeq);
    const handle = await createSegmentFile(segment);
    const previous = this.#handle;
    this.#handle = handle;
    this.#segments.push(segment);
    await previous.close().catch(() => {});
  }

  /** Deletes the `count` oldest segments (never the active one). */
  async removeOldest(count: number): Promise<void> {
    const doomed = this.#segments.splice(0, Math.min(count, this.#segments.length - 1));
    if (doomed.length === 0) return;
    await Promise.all(doomed.map((segment) => unlinkIfPresent(segment.file)));
    await fsyncDir(this.dir);
  }

  async close(): Promise<void> {
    await this.#handle.close();
  }

  async #truncateBack(): Promise<void> {
    try {
      await this.#cutToDurable();
    } catch (e) {
      this.#needsRepair = true;
      this.#logger.error(
        { err: String(e), file: this.active().file },
        "outbox cannot roll back a failed write",
      );
    }
  }

  async #repairIfNeeded(): Promise<void> {
    if (!this.#needsRepair) return;
    await this.#cutToDurable();
    this.#needsRepair = false;
  }

  async #cutToDurable(): Promise<void> {
    await this.#handle.truncate(this.active().bytes);
    await this.#handle.datasync();
  }
}

/** Creates a new, empty segment file and makes its name durable (directory fsync). */
export async function createSegmentFile(segment: Segment): Promise<FileHandle> {
  const flags = constants.O_RDWR | constants.O_CREAT | constants.O_EXCL;
  const handle = await open(segment.file, flags, 0o600);
  try {
    await fsyncDir(dirname(segment.file));
  } catch (e) {
    await handle.close();
    await unlink(segment.file).catch(() => {});
    throw e;
  }
  return handle;
}

async function writeAll(handle: FileHandle, buffer: Buffer, position: number): Promise<void> {
  let written = 0;
  while (written < buffer.length) {
    const { bytesWritten } = await handle.write(buffer, written, buffer.length - written, position + written);
    written += bytesWritten;
  }
}

async function unlinkIfPresent(file: string): Promise<void> {
  try {
    await unlink(file);
  } catch (e) {
    if (errnoCode(e) !== "ENOENT") throw e;
  }
}
