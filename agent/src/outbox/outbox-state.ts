import { join } from "node:path";
import { MtxError } from "@mtx-fleet/plugin-api";
import { DurableJsonAdapter, type MinimalLogger, type ParseResult } from "../store/index.ts";

/** The persistent part of the outbox besides its segments: `state.json`. */
export interface OutboxState {
  readonly version: 1;
  /** Per cursor name, the highest seq the consumer acknowledged (0: none). */
  readonly cursors: Readonly<Record<string, number>>;
  /** Undelivered records deleted by the size/age bounds, ever. */
  readonly dropped: number;
  /** Records up to this seq were dropped; segments at or below it are deleted on open. */
  readonly droppedThroughSeq: number;
}

export const EMPTY_OUTBOX_STATE: OutboxState = { version: 1, cursors: {}, dropped: 0, droppedThroughSeq: 0 };

/** `state.json` with atomic, durable writes; concurrent saves share one write. */
export class OutboxStateFile {
  readonly #adapter: DurableJsonAdapter<OutboxState>;
  #chain: Promise<unknown> = Promise.resolve();
  #next: Promise<OutboxState> | undefined;

  constructor(dir: string, logger: MinimalLogger) {
    this.#adapter = new DurableJsonAdapter(join(dir, "state.json"), {
      validate: validateOutboxState,
      logger,
    });
  }

  /**
   * Loads the state. A state file damaged beyond its backup only costs redelivery (cursors
   * restart at 0, the hub deduplicates), so the outbox still opens, with an error logged.
   */
  async load(logger: MinimalLogger): Promise<OutboxState> {
    try {
      return (await this.#adapter.read()) ?? EMPTY_OUTBOX_STATE;
    } catch (e) {
      if (!MtxError.is(e, "MTX_INVALID_INPUT") || e.details?.damaged !== true) throw e;
      logger.error({ err: e.message }, "outbox state is damaged; redelivering everything from the start");
      return EMPTY_OUTBOX_STATE;
    }
  }

  /**
   * Writes `snapshot()` durably. Calls made while a write runs share the next write, which
   * takes its snapshot when it starts, so it includes everything asked for before it.
   */
  save(snapshot: () => OutboxState): Promise<OutboxState> {
    if (this.#next !== undefined) return this.#next;
    const next = this.#chain.then(async () => {
      this.#next = undefined;
      const state = snapshot();
      await this.#adapter.write(state);
      return state;
    });
    this.#next = next;
    this.#chain = next.catch(() => {});
    return next;
  }

  /** Resolves once no write is running. */
  async settled(): Promise<void> {
    await this.#chain;
  }
}

function validateOutboxState(json: unknown): ParseResult<OutboxState> {
  if (typeof json !== "object" || json === null) return { kind: "corrupt", reason: "not an object" };
  const state = json as Partial<Record<keyof OutboxState, unknown>>;
  if (typeof state.version === "number" && state.version > 1) {
    return { kind: "unsupported", reason: `version ${state.version} was written by a newer mtx-agent` };
  }
  const cursors = state.cursors;
  const cursorsOk =
    typeof cursors === "object" &&
    cursors !== null &&
    Object.values(cursors).every((seq) => Number.isSafeInteger(seq) && (seq as number) >= 0);
  if (state.version !== 1 || !cursorsOk || !isCount(state.dropped) || !isCount(state.droppedThroughSeq)) {
    return { kind: "corrupt", reason: "not an outbox state (version 1)" };
  }
  return { kind: "ok", value: state as OutboxState };
}

function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}
