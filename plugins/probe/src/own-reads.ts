/**
 * How long MediaMTX may still list a finished HLS read: it closes an HLS session 30 s after the
 * session's last request (v1.18+; the simulator does the same). RTSP/RTMP/SRT readers go with
 * their connection.
 */
export const HLS_SESSION_LINGER_MS = 30_000;

/**
 * The probe's own reads of each path (deep probes, thumbnails): those open now, and finished
 * ones MediaMTX may still list — in a snapshot that started before the read ended, or, for HLS,
 * until its session expires (`lingerMs`). An estimate for readers a snapshot cannot attribute
 * (see `ownReaderCounter`).
 */
export class OwnReads {
  readonly #open = new Map<string, number>();
  readonly #ended = new Map<string, number[]>();
  readonly #lingerMs: number;
  readonly #now: () => number;

  constructor(options: { readonly lingerMs: number; readonly now: () => number }) {
    this.#lingerMs = options.lingerMs;
    this.#now = options.now;
  }

  /** Counts a read of `path` from now on; the returned function ends it (idempotent). */
  begin(path: string): () => void {
    this.#open.set(path, (this.#open.get(path) ?? 0) + 1);
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      const open = (this.#open.get(path) ?? 1) - 1;
      if (open === 0) this.#open.delete(path);
      else this.#open.set(path, open);
      this.#ended.set(path, [...(this.#ended.get(path) ?? []), this.#now()]);
    };
  }

  /** Reads of `path` a snapshot that started at `takenAt` may list. */
  estimate(path: string, takenAt: number): number {
    const ended = this.#ended.get(path)?.filter((endedAt) => endedAt + this.#lingerMs >= takenAt).length ?? 0;
    return (this.#open.get(path) ?? 0) + ended;
  }

  /** Forgets reads no snapshot taken at or after `takenAt` can list. */
  prune(takenAt: number): void {
    for (const [path, ends] of [...this.#ended]) {
      const left = ends.filter((endedAt) => endedAt + this.#lingerMs >= takenAt);
      if (left.length === 0) this.#ended.delete(path);
      else if (left.length < ends.length) this.#ended.set(path, left);
    }
  }
}
