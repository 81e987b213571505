import type { EventRecord } from "./hub-records.ts";

/**
 * The events a replica holds for one node: at most `maxEvents`, ordered by seq, with the ids
 * seen and the seqs already dropped from the window (a replay of those is old, not new).
 * The same rules as the JSON store's, so both stores answer alike.
 */
export class EventWindow {
  readonly #maxEvents: number;
  readonly #items: EventRecord[] = [];
  readonly #ids = new Set<string>();
  #highestSeq = 0;
  #floorSeq = 0;

  constructor(maxEvents: number) {
    this.#maxEvents = maxEvents;
  }

  get highestSeq(): number {
    return this.#highestSeq;
  }

  get items(): readonly EventRecord[] {
    return this.#items;
  }

  /** The events of `list` this window would take (not seen, above the floor, first of their id). */
  fresh(list: readonly EventRecord[]): EventRecord[] {
    const seen = new Set<string>();
    return list.filter((event) => {
      if (this.#ids.has(event.id) || seen.has(event.id) || event.seq <= this.#floorSeq) return false;
      seen.add(event.id);
      return true;
    });
  }

  /** Adds one event (idempotent by id); false when it was known or below the floor. */
  add(event: EventRecord): boolean {
    if (this.#ids.has(event.id) || event.seq <= this.#floorSeq) return false;
    this.#ids.add(event.id);
    this.#highestSeq = Math.max(this.#highestSeq, event.seq);
    // Events mostly arrive in seq order: append, else insert at the sorted position.
    let at = this.#items.length;
    while (at > 0 && (this.#items[at - 1]?.seq ?? 0) > event.seq) at -= 1;
    this.#items.splice(at, 0, event);
    if (this.#items.length > this.#maxEvents) {
      const dropped = this.#items.splice(0, this.#items.length - this.#maxEvents);
      for (const old of dropped) {
        this.#ids.delete(old.id);
        this.#floorSeq = Math.max(this.#floorSeq, old.seq);
      }
    }
    return true;
  }

  /**
   * After loading from a log that already dropped its oldest events: a full window's floor is
   * just below its oldest event, so replays of what the log dropped stay out.
   */
  settleLoaded(): void {
    const oldest = this.#items[0];
    if (this.#items.length >= this.#maxEvents && oldest !== undefined)
      this.#floorSeq = Math.max(this.#floorSeq, oldest.seq - 1);
  }
}
