import { mkdir, readdir, readFile, rm, stat, utimes } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomically } from "./deep/write-file-atomically.ts";

/** One stored thumbnail. */
export interface ThumbnailInfo {
  readonly path: string;
  /** Epoch ms the frame was taken (the file's mtime). */
  readonly takenAt: number;
  readonly bytes: number;
}

export interface ThumbnailStoreOptions {
  readonly dir: string;
  readonly maxCount: number;
  readonly maxBytes: number;
}

const SUFFIX = ".jpg";

/** Path names may hold `/`: one flat file per stream, its name URI-encoded. */
const fileOf = (path: string): string => `${encodeURIComponent(path)}${SUFFIX}`;

/**
 * The latest thumbnail of each stream, one JPEG file per stream in `dir`, bounded by count and
 * total bytes (the oldest go first). Each write is atomic (`writeFileAtomically`: temp file,
 * fsync, rename, fsync of the directory), so a reader (or a crash) never sees half a JPEG. The index is
 * rebuilt from the directory at open, so thumbnails survive restarts.
 */
export class ThumbnailStore {
  readonly #options: ThumbnailStoreOptions;
  readonly #index = new Map<string, ThumbnailInfo>();

  private constructor(options: ThumbnailStoreOptions) {
    this.#options = options;
  }

  static async open(options: ThumbnailStoreOptions): Promise<ThumbnailStore> {
    const store = new ThumbnailStore(options);
    await mkdir(options.dir, { recursive: true });
    for (const name of await readdir(options.dir)) {
      const file = join(options.dir, name);
      // Left by a crash between write and rename.
      if (name.endsWith(".tmp")) await rm(file, { force: true });
      if (!name.endsWith(SUFFIX)) continue;
      const info = await stat(file).catch(() => undefined);
      let path: string;
      try {
        path = decodeURIComponent(name.slice(0, -SUFFIX.length));
      } catch {
        continue;
      }
      if (info?.isFile()) store.#index.set(path, { path, takenAt: info.mtimeMs, bytes: info.size });
    }
    await store.#evict();
    return store;
  }

  /** Stores `jpeg` as the thumbnail of `path`; false when it alone exceeds `maxBytes`. */
  async put(path: string, jpeg: Uint8Array, takenAt: number): Promise<boolean> {
    if (jpeg.byteLength > this.#options.maxBytes) return false;
    const file = join(this.#options.dir, fileOf(path));
    await writeFileAtomically(file, jpeg);
    // The mtime is when the frame was taken: the index is rebuilt from it at open.
    await utimes(file, takenAt / 1000, takenAt / 1000);
    this.#index.set(path, { path, takenAt, bytes: jpeg.byteLength });
    await this.#evict();
    return this.#index.has(path);
  }

  /** The thumbnail of `path`, or undefined when there is none (or it was just evicted). */
  async get(path: string): Promise<(ThumbnailInfo & { readonly jpeg: Buffer }) | undefined> {
    const info = this.#index.get(path);
    if (info === undefined) return undefined;
    const jpeg = await readFile(join(this.#options.dir, fileOf(path))).catch(() => undefined);
    return jpeg === undefined ? undefined : { ...info, jpeg };
  }

  info(path: string): ThumbnailInfo | undefined {
    return this.#index.get(path);
  }

  list(): readonly ThumbnailInfo[] {
    return [...this.#index.values()].sort((a, b) => a.path.localeCompare(b.path));
  }

  get totalBytes(): number {
    let total = 0;
    for (const info of this.#index.values()) total += info.bytes;
    return total;
  }

  async #evict(): Promise<void> {
    const oldestFirst = [...this.#index.values()].sort((a, b) => a.takenAt - b.takenAt);
    let bytes = this.totalBytes;
    for (const info of oldestFirst) {
      if (this.#index.size <= this.#options.maxCount && bytes <= this.#options.maxBytes) break;
      this.#index.delete(info.path);
      bytes -= info.bytes;
      await rm(join(this.#options.dir, fileOf(info.path)), { force: true });
    }
  }
}
