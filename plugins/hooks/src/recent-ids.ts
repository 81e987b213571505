/** How many stored hook ids are remembered for deduplication. */
export const DEFAULT_RECENT_IDS = 10_000;

/**
 * The ids of the most recently stored hooks, oldest dropped first. A wrapper whose POST timed
 * out after the agent stored it spools the same event again, so the drain must recognise it;
 * the set is persisted (see HooksStateFile) so that also holds across an agent restart.
 */
export class RecentIds {
  readonly #ids = new Set<string>();
  readonly #max: number;

  constructor(initial: readonly string[] = [], max = DEFAULT_RECENT_IDS) {
    this.#max = max;
    for (const id of initial) this.add(id);
  }

  has(id: string): boolean {
    return this.#ids.has(id);
  }

  add(id: string): void {
    this.#ids.add(id);
    // A Set iterates in insertion order: the first entry is the oldest.
    while (this.#ids.size > this.#max) this.#ids.delete(this.#ids.values().next().value as string);
  }

  /** Oldest first, as `new RecentIds(list)` reads it back. */
  toJSON(): string[] {
    return [...this.#ids];
  }
}
