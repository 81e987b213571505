import { MtxError } from "@mtx-fleet/plugin-api";
import { type MinimalLogger, storageError } from "../store/index.ts";
import { encodeFrame, MAX_FRAME_BODY_BYTES } from "./frame.ts";
import type { OutboxState, OutboxStateFile } from "./outbox-state.ts";
import type {
  OutboxClock,
  OutboxConsumeOptions,
  OutboxEvent,
  OutboxReadOptions,
  OutboxRecentOptions,
  OutboxRecord,
  OutboxStats,
} from "./outbox-types.ts";
import { planRetention } from "./plan-retention.ts";
import type { SegmentLog } from "./segment-log.ts";
import { type CorruptPlace, countAfter, SegmentReader } from "./segment-reader.ts";
import { createUuidV7Generator } from "./uuidv7.ts";

export const DEFAULT_OUTBOX_CURSOR = "hub";
/** One group commit writes at most about this much; the rest goes in the next one. */
const MAX_BATCH_BYTES = 1024 * 1024;
const MAX_KIND_LENGTH = 200;
const MAX_ID_LENGTH = 200;
// MediaMTX path names and request ids are short; this only stops a runaway value.
const MAX_REF_LENGTH = 1024;

/** Everything `openOutbox` prepared for the outbox. */
export interface OutboxInit {
  readonly dir: string;
  readonly maxBytes: number;
  readonly maxAgeMs: number;
  readonly segmentBytes: number;
  readonly cursors: readonly string[];
  readonly clock: OutboxClock;
  readonly logger: MinimalLogger;
  readonly stateFile: OutboxStateFile;
  readonly state: OutboxState;
  readonly log: SegmentLog;
  readonly newestSeq: number;
  readonly corrupt: readonly CorruptPlace[];
}

interface PendingAppend {
  readonly record: OutboxRecord;
  readonly frame: Buffer;
  readonly resolve: (record: OutboxRecord) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * The agent's durable event outbox: an append-only log of segment files. See README.md for the
 * on-disk format and the guarantees. Create it with `openOutbox`.
 */
export class Outbox implements AsyncDisposable {
  readonly dir: string;
  readonly #init: OutboxInit;
  readonly #logger: MinimalLogger;
  readonly #log: SegmentLog;
  readonly #newId: () => string;
  #nextSeq: number;
  #newestSeq: number;
  #flushCount = 0;
  #pending: PendingAppend[] = [];
  #flushQueued = false;
  #io: Promise<void> = Promise.resolve();
  #ackTargets: Map<string, number>;
  #persistedCursors: Map<string, number>;
  #dropped: number;
  #droppedThroughSeq: number;
  readonly #reader: SegmentReader;
  readonly #waiters = new Set<() => void>();
  #closing: Promise<void> | undefined;
  #closed = false;
  #timer: NodeJS.Timeout | undefined;

  constructor(init: OutboxInit) {
    this.dir = init.dir;
    this.#init = init;
    this.#logger = init.logger;
    this.#log = init.log;
    this.#newestSeq = init.newestSeq;
    this.#nextSeq = init.newestSeq + 1;
    this.#newId = createUuidV7Generator(() => init.clock.now());
    const cursors = init.cursors.map((name) => [name, init.state.cursors[name] ?? 0] as const);
    this.#ackTargets = new Map(cursors);
    this.#persistedCursors = new Map(cursors);
    this.#dropped = init.state.dropped;
    this.#droppedThroughSeq = init.state.droppedThroughSeq;
    this.#reader = new SegmentReader(init.logger, init.corrupt);
  }

  /**
   * Stores an event. Resolves with the stored record only once its bytes are fsync'd: that is
   * the moment the caller may acknowledge the event. Concurrent appends share one write and
   * one fsync (group commit) and keep call order. Rejects (`details.diskFull` when the disk is
   * full) if the event could not be made durable; the outbox stays usable.
   */
  append<P>(event: OutboxEvent<P>): Promise<OutboxRecord<P>> {
    if (this.#closing !== undefined) return Promise.reject(closedError(this.dir));
    let record: OutboxRecord<P>;
    let frame: Buffer;
    try {
      const fields = this.#eventFields(event);
      const body = encodeBody(fields);
      // The seq is taken only once the event is known to encode, so a refused event leaves no gap.
      record = { ...fields, seq: this.#nextSeq, ts: this.#init.clock.now() } as OutboxRecord<P>;
      this.#nextSeq += 1;
      frame = encodeFrame(record.seq, record.ts, body);
    } catch (e) {
      return Promise.reject(e);
    }
    return new Promise<OutboxRecord<P>>((resolve, reject) => {
      this.#pending.push({ record, frame, resolve: resolve as (r: OutboxRecord) => void, reject });
      this.#scheduleFlush();
    });
  }

  /**
   * Up to `limit` durable records with a seq above `afterSeq`, in seq order. A link sends them,
   * waits for the hub to confirm, then calls `ack`; it may read the next batch (after the
   * last seq it got) before acking the previous one.
   */
  read(options: OutboxReadOptions): Promise<OutboxRecord[]> {
    return this.#reader.read(this.#log.segments(), options);
  }

  /**
   * Batches from the persisted position of `cursor` on, waiting for new records when it has
   * caught up; ends when `signal` aborts or the outbox closes. It does not ack: call `ack`
   * after the receiver confirmed a batch. To restart after an error, call `consume` again.
   */
  async *consume(options: OutboxConsumeOptions = {}): AsyncGenerator<OutboxRecord[], void, undefined> {
    const { cursor = DEFAULT_OUTBOX_CURSOR, signal } = options;
    let afterSeq = this.cursor(cursor);
    while (this.#closing === undefined && signal?.aborted !== true) {
      const flushCount = this.#flushCount;
      const batch = await this.read({ afterSeq, ...readLimits(options) });
      const last = batch.at(-1);
      if (last === undefined) {
        await this.#waitForFlush(flushCount, signal);
        continue;
      }
      yield batch;
      afterSeq = last.seq;
    }
  }

  /** The persisted (durable) position of a cursor: the highest seq it acknowledged. */
  cursor(name: string = DEFAULT_OUTBOX_CURSOR): number {
    const seq = this.#persistedCursors.get(name);
    if (seq === undefined) throw unknownCursor(name, this.#init.cursors);
    return seq;
  }

  /**
   * Records that `cursor` delivered everything up to `seq`, durably (atomic rename + fsync)
   * before resolving; after a crash delivery resumes after it. Lower seqs than the cursor are
   * ignored. Segments every cursor has passed are deleted.
   */
  async ack(seq: number, cursor: string = DEFAULT_OUTBOX_CURSOR): Promise<void> {
    if (this.#closing !== undefined) throw closedError(this.dir);
    const target = this.#ackTargets.get(cursor);
    if (target === undefined) throw unknownCursor(cursor, this.#init.cursors);
    if (!Number.isSafeInteger(seq) || seq < 0 || seq > this.#newestSeq) {
      throw new MtxError(
        "MTX_INVALID_INPUT",
        `cannot ack seq ${seq}: the newest stored seq is ${this.#newestSeq}`,
        {
          details: { issues: [`seq must be an integer from 0 to ${this.#newestSeq}`] },
        },
      );
    }
    this.#ackTargets.set(cursor, Math.max(target, seq));
    if (this.cursor(cursor) >= seq) return;
    await this.#saveState();
    this.#background(() => this.#prune());
  }

  /** Newest first, for listing events (delivered ones included while their segment exists). */
  recent(options: OutboxRecentOptions = {}): Promise<OutboxRecord[]> {
    return this.#reader.recent(this.#log.segments(), options);
  }

  stats(): OutboxStats {
    const segments = this.#log.segments();
    const oldest = segments.find((segment) => segment.records > 0);
    return {
      records: segments.reduce((sum, segment) => sum + segment.records, 0),
      bytes: this.#log.totalBytes(),
      segments: segments.length,
      oldestTs: oldest?.minTs ?? null,
      newestSeq: this.#newestSeq,
      deliveredSeq: this.#deliveredSeq(),
      cursors: Object.fromEntries(this.#persistedCursors),
      dropped: this.#dropped,
      corruptSkipped: this.#reader.corruptSkipped,
    };
  }

  /**
   * Applies the size and age bounds now: deletes fully delivered segments and, when over
   * `maxBytes` or older than `maxAgeMs`, drops the oldest undelivered ones (counted in
   * `dropped`, logged). Runs by itself after appends and acks and every retention interval.
   */
  prune(): Promise<void> {
    return this.#enqueueIo(() => this.#prune());
  }

  /** Starts the periodic retention run (age bound); the timer does not keep the process alive. */
  startRetentionTimer(intervalMs: number): void {
    this.#timer = setInterval(() => {
      this.prune().catch((e: unknown) => this.#logger.error({ err: String(e) }, "outbox retention failed"));
    }, intervalMs);
    this.#timer.unref();
  }

  /** Flushes pending appends, waits for state writes, closes files; consumers end. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      clearInterval(this.#timer);
      await this.#io;
      await this.#init.stateFile.settled();
      // An ack that finished meanwhile may have queued a prune: let it run, then refuse more.
      await this.#io;
      this.#closed = true;
      await this.#log.close();
      for (const wake of this.#waiters) wake();
    })();
    return this.#closing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #eventFields(event: OutboxEvent): EventFields {
    const { kind, payload, id, occurredAt, path, requestId } = event;
    if (typeof kind !== "string" || kind.length === 0 || kind.length > MAX_KIND_LENGTH) {
      throw invalidEvent(`kind must be a non-empty string of at most ${MAX_KIND_LENGTH} characters`);
    }
    if (id !== undefined && (typeof id !== "string" || id.length === 0 || id.length > MAX_ID_LENGTH)) {
      throw invalidEvent(`id must be a non-empty string of at most ${MAX_ID_LENGTH} characters`);
    }
    const at = occurredAt instanceof Date ? occurredAt.getTime() : occurredAt;
    if (at !== undefined && !Number.isFinite(at)) throw invalidEvent("occurredAt must be a valid time");
    for (const [name, value] of [
      ["path", path],
      ["requestId", requestId],
    ] as const) {
      if (value !== undefined && (typeof value !== "string" || value.length > MAX_REF_LENGTH)) {
        throw invalidEvent(`${name} must be a string of at most ${MAX_REF_LENGTH} characters`);
      }
    }
    return {
      id: id ?? this.#newId(),
      kind,
      payload,
      ...(at === undefined ? {} : { occurredAt: at }),
      ...(path === undefined || path === "" ? {} : { path }),
      ...(requestId === undefined || requestId === "" ? {} : { requestId }),
    };
  }

  #scheduleFlush(): void {
    if (this.#flushQueued) return;
    this.#flushQueued = true;
    this.#background(() => this.#flush());
  }

  /** Runs IO that touches segments one at a time; a failure never blocks the next task. */
  #enqueueIo(task: () => Promise<void>): Promise<void> {
    const run = this.#io.then(() => (this.#closed ? undefined : task()));
    this.#io = run.then(
      () => {},
      () => {},
    );
    return run;
  }

  /** `#enqueueIo` for work nobody awaits: failures are logged. */
  #background(task: () => Promise<void>): void {
    this.#enqueueIo(task).catch((e: unknown) => {
      this.#logger.error({ err: String(e), dir: this.dir }, "outbox maintenance failed");
    });
  }

  async #flush(): Promise<void> {
    this.#flushQueued = false;
    const batch = this.#takeBatch();
    if (this.#pending.length > 0) this.#scheduleFlush();
    if (batch.length === 0) return;
    try {
      await this.#writeBatch(batch);
    } catch (e) {
      const error = storageError(e, `cannot append ${batch.length} event(s) to the outbox in ${this.dir}`, {
        dir: this.dir,
      });
      this.#logger.error(
        { err: error.message, dir: this.dir },
        "outbox append failed; events were not stored",
      );
      for (const pending of batch) pending.reject(error);
      return;
    }
    for (const pending of batch) pending.resolve(pending.record);
    this.#flushCount += 1;
    for (const wake of this.#waiters) wake();
  }

  /**
   * The next group commit: as much as is pending, up to `MAX_BATCH_BYTES` and up to what fits in
   * the active segment (or the next one), so segments stay close to `segmentBytes`.
   */
  #takeBatch(): PendingAppend[] {
    const activeBytes = this.#log.active().bytes;
    const room = this.#init.segmentBytes - (activeBytes >= this.#init.segmentBytes ? 0 : activeBytes);
    const limit = Math.min(MAX_BATCH_BYTES, room);
    let bytes = 0;
    let count = 0;
    while (count < this.#pending.length) {
      bytes += this.#pending[count]!.frame.length;
      if (count > 0 && bytes > limit) break;
      count += 1;
    }
    return this.#pending.splice(0, count);
  }

  async #writeBatch(batch: readonly PendingAppend[]): Promise<void> {
    if (this.#log.active().bytes >= this.#init.segmentBytes) await this.#log.rotate(batch[0]!.record.seq);
    const bytes = batch.reduce((sum, pending) => sum + pending.frame.length, 0);
    if (this.#log.totalBytes() + bytes > this.#init.maxBytes) {
      // Make room first, so the bound holds at every moment; a failed cleanup never blocks appends.
      await this.#prune(bytes).catch((e: unknown) => {
        this.#logger.error({ err: String(e), dir: this.dir }, "outbox cleanup failed");
      });
    }
    await this.#log.append(batch.map(({ record, frame }) => ({ seq: record.seq, ts: record.ts, frame })));
    this.#newestSeq = batch.at(-1)!.record.seq;
  }

  async #prune(incomingBytes = 0): Promise<void> {
    const oldestAllowedTs = this.#init.clock.now() - this.#init.maxAgeMs;
    const active = this.#log.active();
    if (active.maxTs !== undefined && active.maxTs < oldestAllowedTs)
      await this.#log.rotate(this.#newestSeq + 1);
    const passedSeq = Math.max(this.#deliveredSeq(), this.#droppedThroughSeq);
    const plan = planRetention(this.#log.segments(), {
      passedSeq,
      maxBytes: this.#init.maxBytes,
      incomingBytes,
      oldestAllowedTs,
    });
    if (plan.dropping.length > 0) {
      let dropped = 0;
      for (const segment of plan.dropping) dropped += await countAfter(segment, passedSeq);
      await this.#recordDrop(dropped, plan.dropping.at(-1)!.lastSeq!);
    }
    await this.#log.removeOldest(plan.removeCount);
  }

  /** Counts and persists a drop before the files go, so a crash never counts it twice. */
  async #recordDrop(dropped: number, droppedThroughSeq: number): Promise<void> {
    this.#dropped += dropped;
    this.#droppedThroughSeq = droppedThroughSeq;
    this.#logger.warn(
      {
        dropped,
        droppedThroughSeq,
        totalDropped: this.#dropped,
        maxBytes: this.#init.maxBytes,
        dir: this.dir,
      },
      "outbox over its size or age bound: dropped the oldest undelivered events",
    );
    // Deleting still frees the space if this write fails (disk full): losing the count is better.
    await this.#saveState().catch((e: unknown) =>
      this.#logger.error({ err: String(e), dir: this.dir }, "outbox cannot persist its dropped counter"),
    );
  }

  async #saveState(): Promise<void> {
    const state = await this.#init.stateFile.save(() => ({
      version: 1,
      cursors: Object.fromEntries(this.#ackTargets),
      dropped: this.#dropped,
      droppedThroughSeq: this.#droppedThroughSeq,
    }));
    for (const [name, seq] of Object.entries(state.cursors)) {
      this.#persistedCursors.set(name, Math.max(seq, this.#persistedCursors.get(name) ?? 0));
    }
  }

  #waitForFlush(flushCount: number, signal: AbortSignal | undefined): Promise<void> {
    if (this.#flushCount !== flushCount || this.#closing !== undefined || signal?.aborted === true) {
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const wake = (): void => {
        this.#waiters.delete(wake);
        signal?.removeEventListener("abort", wake);
        resolve();
      };
      this.#waiters.add(wake);
      signal?.addEventListener("abort", wake, { once: true });
    });
  }

  #deliveredSeq(): number {
    return Math.min(...this.#persistedCursors.values());
  }
}

/** The stored fields of an event besides `seq` and `ts` (which live in the frame header). */
type EventFields = Pick<OutboxRecord, "id" | "kind" | "payload" | "occurredAt" | "path" | "requestId">;

function encodeBody(fields: EventFields): Buffer {
  const { kind } = fields;
  let json: string;
  try {
    // Key order is part of the stored bytes: id, kind, payload, then the optional fields.
    json = JSON.stringify(fields);
  } catch (e) {
    throw new MtxError("MTX_INVALID_INPUT", `event '${kind}' has a payload that is not JSON: ${String(e)}`, {
      details: { issues: ["payload must be JSON-serialisable"] },
      cause: e,
    });
  }
  const body = Buffer.from(json, "utf8");
  if (body.length > MAX_FRAME_BODY_BYTES) {
    throw invalidEvent(
      `the event is ${body.length} bytes; at most ${MAX_FRAME_BODY_BYTES} fit in one record`,
    );
  }
  return body;
}

function readLimits(options: OutboxConsumeOptions): Pick<OutboxReadOptions, "limit" | "maxBytes"> {
  return {
    ...(options.limit === undefined ? {} : { limit: options.limit }),
    ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }),
  };
}

function invalidEvent(issue: string): MtxError {
  return new MtxError("MTX_INVALID_INPUT", `invalid outbox event: ${issue}`, {
    details: { issues: [issue] },
  });
}

function closedError(dir: string): MtxError {
  return new MtxError("MTX_INTERNAL", `the outbox in ${dir} is closed`);
}

function unknownCursor(name: string, cursors: readonly string[]): MtxError {
  return new MtxError(
    "MTX_INVALID_INPUT",
    `unknown outbox cursor '${name}' (declared: ${cursors.join(", ")})`,
    {
      details: { issues: [`cursor must be one of: ${cursors.join(", ")}`] },
    },
  );
}
