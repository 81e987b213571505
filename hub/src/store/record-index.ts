/** One value of the index and the KV revision it was written at. */
export interface IndexedRecord<T> {
  readonly revision: number;
  readonly value: T;
}

/**
 * A replica's in-memory copy of one kind of KV record (nodes, tokens, …), fed from two sides:
 * the bucket follower (every replica's writes, in stream order) and this replica's own writes
 * as soon as they are acknowledged (read-your-writes, ahead of the follower). Revisions decide
 * which side is newer, and a local delete leaves a tombstone until the follower has passed it,
 * so a late copy of an older value never brings a deleted record back.
 */
export class RecordIndex<T> {
  readonly #records = new Map<string, IndexedRecord<T>>();
  readonly #tombstones = new Map<string, number>();

  get(id: string): T | undefined {
    return this.#records.get(id)?.value;
  }

  values(): T[] {
    return [...this.#records.values()].map((record) => record.value);
  }

  entries(): Array<[string, T]> {
    return [...this.#records].map(([id, record]) => [id, record.value]);
  }

  get size(): number {
    return this.#records.size;
  }

  /** A value written at `revision` (by the follower or by this replica). */
  put(id: string, revision: number, value: T): boolean {
    const current = this.#records.get(id);
    const tombstone = this.#tombstones.get(id);
    if (tombstone !== undefined && tombstone >= revision) return false;
    if (tombstone !== undefined) this.#tombstones.delete(id);
    if (current !== undefined && current.revision >= revision) return false;
    this.#records.set(id, { revision, value });
    return true;
  }

  /** A delete marker written at `revision`; `local` leaves a tombstone until the follower passes it. */
  delete(id: string, revision: number, { local = false }: { local?: boolean } = {}): T | undefined {
    const current = this.#records.get(id);
    const tombstone = this.#tombstones.get(id);
    if (!local && tombstone !== undefined && revision >= tombstone) this.#tombstones.delete(id);
    if (local && (tombstone ?? 0) < revision) this.#tombstones.set(id, revision);
    if (current === undefined || current.revision > revision) return undefined;
    this.#records.delete(id);
    return current.value;
  }
}
