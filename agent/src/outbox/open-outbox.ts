import { mkdir, open, readdir } from "node:fs/promises";
import { MtxError } from "@mtx-fleet/plugin-api";
import { type MinimalLogger, SILENT_LOGGER } from "../store/index.ts";
import { DEFAULT_OUTBOX_CURSOR, Outbox } from "./outbox.ts";
import { OutboxStateFile } from "./outbox-state.ts";
import type { OutboxClock } from "./outbox-types.ts";
import { emptySegment, loadSegment, parseSegmentFileName, type Segment } from "./segment.ts";
import { createSegmentFile, SegmentLog } from "./segment-log.ts";
import type { CorruptPlace } from "./segment-reader.ts";

export const DEFAULT_OUTBOX_MAX_BYTES = 256 * 1024 * 1024;
export const DEFAULT_OUTBOX_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;
export const DEFAULT_OUTBOX_SEGMENT_BYTES = 8 * 1024 * 1024;
export const DEFAULT_OUTBOX_RETENTION_INTERVAL_MS = 60_000;
const MIN_SEGMENT_BYTES = 1024;

/** Options of `openOutbox`. */
export interface OutboxOptions {
  /** The outbox directory (created if missing), owned by one process. */
  readonly dir: string;
  /** Bound on the bytes on disk; above it the oldest undelivered events are dropped. */
  readonly maxBytes?: number;
  /** Bound on age; segments whose newest event is older are dropped. */
  readonly maxAgeMs?: number;
  /** Size at which a new segment file starts; at most `maxBytes / 2`, default `maxBytes / 8` up to 8 MiB. */
  readonly segmentBytes?: number;
  /** Named delivery positions; a segment is deleted once every cursor has passed it. */
  readonly cursors?: readonly string[];
  readonly retentionIntervalMs?: number;
  readonly clock?: OutboxClock;
  readonly logger?: MinimalLogger;
}

/**
 * Opens (or creates) the durable outbox in `dir`: scans every segment, cuts off a torn tail,
 * skips damaged records (counted), resumes seq after the last stored one and applies the
 * bounds. Opening reads the whole outbox once, so its time grows with its size.
 */
export async function openOutbox(options: OutboxOptions): Promise<Outbox> {
  const { dir, logger = SILENT_LOGGER, clock = Date } = options;
  const limits = validateLimits(options);
  const cursors = options.cursors ?? [DEFAULT_OUTBOX_CURSOR];
  if (cursors.length === 0) throw invalidOption("cursors must name at least one cursor");
  await mkdir(dir, { recursive: true });
  const stateFile = new OutboxStateFile(dir, logger);
  const state = await stateFile.load(logger);
  const { segments, corrupt } = await loadSegments(dir, logger);
  const newestSeq = Math.max(
    segments.findLast((segment) => segment.lastSeq !== undefined)?.lastSeq ?? 0,
    (segments.at(-1)?.baseSeq ?? 1) - 1,
    ...Object.values(state.cursors),
    state.droppedThroughSeq,
  );
  const handle =
    segments.length === 0
      ? await createSegmentFile(pushed(segments, emptySegment(dir, newestSeq + 1)))
      : await open(segments.at(-1)!.file, "r+");
  const outbox = new Outbox({
    dir,
    ...limits,
    cursors,
    clock,
    logger,
    stateFile,
    state,
    log: new SegmentLog(dir, segments, handle, logger),
    newestSeq,
    corrupt,
  });
  try {
    await outbox.prune();
  } catch (e) {
    await outbox.close();
    throw e;
  }
  outbox.startRetentionTimer(options.retentionIntervalMs ?? DEFAULT_OUTBOX_RETENTION_INTERVAL_MS);
  return outbox;
}

function validateLimits(options: OutboxOptions): {
  maxBytes: number;
  maxAgeMs: number;
  segmentBytes: number;
} {
  const { maxBytes = DEFAULT_OUTBOX_MAX_BYTES, maxAgeMs = DEFAULT_OUTBOX_MAX_AGE_MS } = options;
  const segmentBytes =
    options.segmentBytes ??
    Math.max(MIN_SEGMENT_BYTES, Math.min(DEFAULT_OUTBOX_SEGMENT_BYTES, Math.floor(maxBytes / 8)));
  if (!(maxAgeMs > 0)) throw invalidOption("maxAgeMs must be > 0");
  if (!Number.isSafeInteger(segmentBytes) || segmentBytes < MIN_SEGMENT_BYTES) {
    throw invalidOption(`segmentBytes must be an integer >= ${MIN_SEGMENT_BYTES}`);
  }
  // Only whole segments are dropped, so the bound needs room for at least two of them.
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 2 * segmentBytes) {
    throw invalidOption(`maxBytes must be an integer >= 2 * segmentBytes (${2 * segmentBytes})`);
  }
  return { maxBytes, maxAgeMs, segmentBytes };
}

async function loadSegments(
  dir: string,
  logger: MinimalLogger,
): Promise<{ segments: Segment[]; corrupt: CorruptPlace[] }> {
  const bases = (await readdir(dir))
    .map(parseSegmentFileName)
    .filter((base) => base !== undefined)
    .sort((a, b) => a - b);
  const segments: Segment[] = [];
  const corrupt: CorruptPlace[] = [];
  for (const base of bases) {
    const { segment, corruptOffsets, truncatedBytes } = await loadSegment(dir, base);
    if (truncatedBytes > 0) {
      logger.warn(
        { file: segment.file, truncatedBytes },
        "outbox cut off a torn write (events never acknowledged)",
      );
    }
    if (corruptOffsets.length > 0) {
      logger.error(
        { file: segment.file, offsets: corruptOffsets },
        "outbox skipped damaged records (bit rot?)",
      );
    }
    corrupt.push(...corruptOffsets.map((offset) => ({ file: segment.file, offset })));
    segments.push(segment);
  }
  return { segments, corrupt };
}

function pushed<T>(list: T[], item: T): T {
  list.push(item);
  return item;
}

function invalidOption(issue: string): MtxError {
  return new MtxError("MTX_INVALID_INPUT", `invalid outbox options: ${issue}`, {
    details: { issues: [issue] },
  });
}
