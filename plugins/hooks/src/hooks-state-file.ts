import { readFile } from "node:fs/promises";
import type { Logger } from "@mtx-fleet/plugin-api";
import { writeFileAtomic } from "./write-file-atomic.ts";

/** What the last hook said about a path: available or not, from which source, and when. */
export interface PathHookState {
  readonly available: boolean;
  readonly sourceType: string | null;
  readonly sourceId: string | null;
  /** Epoch ms of the hook (or of the synthesis). */
  readonly occurredAt: number;
}

/** The plugin's own state, in `<ctx.dataDir>/state.json`. */
export interface HooksState {
  readonly version: 1;
  /** Ids of recently stored hooks, oldest first (deduplication across restarts). */
  readonly recentIds: readonly string[];
  /** Paths whose last hook was `ready` (the others are not ready, or never seen). */
  readonly readyPaths: Readonly<Record<string, PathHookState>>;
}

const EMPTY: HooksState = { version: 1, recentIds: [], readyPaths: {} };

/**
 * The plugin keeps this in a file of its own rather than `ctx.store`: it changes with every hook
 * and holds thousands of ids, and the store rewrites the agent's whole state file per change.
 * Writes are coalesced (`markDirty` then `flushIfDirty` on a timer) and atomic; a lost last
 * second means at most a duplicate on the bus after a crash (the hub deduplicates by id).
 */
export class HooksStateFile {
  readonly #file: string;
  readonly #collect: () => HooksState;
  readonly #logger: Logger;
  #dirty = false;
  #writing: Promise<void> = Promise.resolve();

  constructor(file: string, collect: () => HooksState, logger: Logger) {
    this.#file = file;
    this.#collect = collect;
    this.#logger = logger;
  }

  /** Reads the state; a missing file is empty, a damaged one is logged and read as empty. */
  static async load(file: string, logger: Logger): Promise<HooksState> {
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return EMPTY;
      throw error;
    }
    try {
      const value = JSON.parse(text) as Partial<HooksState>;
      if (value.version !== 1 || !Array.isArray(value.recentIds) || typeof value.readyPaths !== "object")
        throw new Error("not a version 1 hooks state");
      return {
        version: 1,
        recentIds: value.recentIds.filter((id): id is string => typeof id === "string"),
        readyPaths: value.readyPaths ?? {},
      };
    } catch (error) {
      // Losing it costs at most duplicates on the bus and a re-synthesis, never an event.
      logger.warn({ file, err: (error as Error).message }, "hooks state file unreadable; starting empty");
      return EMPTY;
    }
  }

  markDirty(): void {
    this.#dirty = true;
  }

  /** Writes the current state if it changed since the last write (one write at a time). */
  flushIfDirty(): Promise<void> {
    if (!this.#dirty) return this.#writing;
    this.#dirty = false;
    const state = this.#collect();
    this.#writing = this.#writing
      .then(() => writeFileAtomic(this.#file, `${JSON.stringify(state)}\n`, 0o600))
      .catch((error: unknown) => {
        this.#dirty = true;
        this.#logger.error({ file: this.#file, err: (error as Error).message }, "hooks state not saved");
      });
    return this.#writing;
  }
}
