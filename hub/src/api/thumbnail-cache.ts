/** A stream's picture as an agent sent it. */
export interface Thumbnail {
  readonly contentType: string;
  readonly data: Buffer;
  /** When the agent took it (ISO), null when it did not say. */
  readonly takenAt: string | null;
}

/** A cached thumbnail and how much longer it is served. */
export interface CachedThumbnail extends Thumbnail {
  readonly maxAgeMs: number;
}

/** Options of `ThumbnailCache`. */
export interface ThumbnailCacheOptions {
  /** How long a thumbnail is served from memory before the agent is asked again. */
  readonly ttlMs?: number;
  readonly maxEntries?: number;
  readonly maxBytes?: number;
  readonly now?: () => number;
}

export const DEFAULT_THUMBNAIL_TTL_MS = 10_000;
export const DEFAULT_THUMBNAIL_MAX_ENTRIES = 1_000;
export const DEFAULT_THUMBNAIL_MAX_BYTES = 64 * 1024 * 1024;

interface Entry {
  readonly thumbnail: Thumbnail;
  readonly storedAtMs: number;
}

/**
 * The latest thumbnail per stream, in memory for a short time and bounded by count and bytes
 * (least recently used out first), so a console grid refreshing many streams costs one command
 * per stream per `ttlMs`, not one per viewer. Concurrent requests for a stream share one load;
 * failures are not cached.
 */
export class ThumbnailCache {
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #maxBytes: number;
  readonly #now: () => number;
  /** Insertion order is recency order: a hit moves its entry to the end. */
  readonly #entries = new Map<string, Entry>();
  readonly #loading = new Map<string, { readonly fresh: boolean; readonly promise: Promise<Thumbnail> }>();
  #bytes = 0;

  constructor(options: ThumbnailCacheOptions = {}) {
    this.#ttlMs = options.ttlMs ?? DEFAULT_THUMBNAIL_TTL_MS;
    this.#maxEntries = options.maxEntries ?? DEFAULT_THUMBNAIL_MAX_ENTRIES;
    this.#maxBytes = options.maxBytes ?? DEFAULT_THUMBNAIL_MAX_BYTES;
    this.#now = options.now ?? Date.now;
  }

  /**
   * The thumbnail of `streamId`: from memory while younger than the TTL, else from `load`.
   * `fresh` always loads (joining only another fresh load in flight) and replaces the entry.
   */
  async get(
    streamId: string,
    load: (fresh: boolean) => Promise<Thumbnail>,
    fresh = false,
  ): Promise<CachedThumbnail> {
    if (!fresh) {
      const hit = this.#hit(streamId);
      if (hit !== undefined) return hit;
    }
    const inFlight = this.#loading.get(streamId);
    const thumbnail = await (inFlight !== undefined && (inFlight.fresh || !fresh)
      ? inFlight.promise
      : this.#load(streamId, load, fresh));
    return { ...thumbnail, maxAgeMs: this.#ttlMs };
  }

  /** Bytes held (for tests and metrics). */
  get bytes(): number {
    return this.#bytes;
  }

  get size(): number {
    return this.#entries.size;
  }

  #hit(streamId: string): CachedThumbnail | undefined {
    const entry = this.#entries.get(streamId);
    if (entry === undefined) return undefined;
    const ageMs = this.#now() - entry.storedAtMs;
    if (ageMs >= this.#ttlMs) {
      this.#delete(streamId);
      return undefined;
    }
    this.#entries.delete(streamId);
    this.#entries.set(streamId, entry);
    return { ...entry.thumbnail, maxAgeMs: this.#ttlMs - ageMs };
  }

  async #load(
    streamId: string,
    load: (fresh: boolean) => Promise<Thumbnail>,
    fresh: boolean,
  ): Promise<Thumbnail> {
    const promise = load(fresh);
    const flight = { fresh, promise };
    this.#loading.set(streamId, flight);
    try {
      const thumbnail = await promise;
      // A fresh load started meanwhile has the newer picture: it is the one to keep.
      if (this.#loading.get(streamId) === flight) this.#store(streamId, thumbnail);
      return thumbnail;
    } finally {
      if (this.#loading.get(streamId) === flight) this.#loading.delete(streamId);
    }
  }

  #store(streamId: string, thumbnail: Thumbnail): void {
    this.#delete(streamId);
    if (thumbnail.data.length > this.#maxBytes) return;
    this.#entries.set(streamId, { thumbnail, storedAtMs: this.#now() });
    this.#bytes += thumbnail.data.length;
    for (const oldest of this.#entries.keys()) {
      if (this.#entries.size <= this.#maxEntries && this.#bytes <= this.#maxBytes) break;
      this.#delete(oldest);
    }
  }

  #delete(streamId: string): void {
    const entry = this.#entries.get(streamId);
    if (entry === undefined) return;
    this.#bytes -= entry.thumbnail.data.length;
    this.#entries.delete(streamId);
  }
}
