/**
 * The probe's own reads of each path, for `ctx.streams.setOwnReaders`. A finished read still
 * counts until a snapshot taken after it ended: MediaMTX may list the reader in a snapshot that
 * started while the read was open, and the viewer count must not jump by one in between.
 */
export class OwnReads {
  readonly #open = new Map<string, number>();
  readonly #ended = new Map<string, number[]>();
  readonly #report: (path: string, count: number) => void;
  readonly #now: () => number;

  constructor(options: {
    readonly report: (path: string, count: number) => void;
    readonly now: () => number;
  }) {
    this.#report = options.report;
    this.#now = options.now;
  }

  /** Counts a read of `path` from now on; the returned function ends it (idempotent). */
  begin(path: string): () => void {
    this.#open.set(path, (this.#open.get(path) ?? 0) + 1);
    this.#changed(path);
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.#open.set(path, (this.#open.get(path) ?? 1) - 1);
      if (this.#open.get(path) === 0) this.#open.delete(path);
      this.#ended.set(path, [...(this.#ended.get(path) ?? []), this.#now()]);
      this.#changed(path);
    };
  }

  /** A snapshot that started at `takenAt` no longer lists reads that ended before it. */
  snapshotTaken(takenAt: number): void {
    for (const [path, ends] of [...this.#ended]) {
      const left = ends.filter((endedAt) => endedAt >= takenAt);
      if (left.length === ends.length) continue;
      if (left.length === 0) this.#ended.delete(path);
      else this.#ended.set(path, left);
      this.#changed(path);
    }
  }

  count(path: string): number {
    return (this.#open.get(path) ?? 0) + (this.#ended.get(path)?.length ?? 0);
  }

  #changed(path: string): void {
    this.#report(path, this.count(path));
  }
}
