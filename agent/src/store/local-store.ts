import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { MtxError } from "@mtx-fleet/plugin-api";
import { Low } from "lowdb";
import { deepFreeze } from "./deep-freeze.ts";
import { DurableJsonAdapter } from "./durable-json-adapter.ts";
import type { MinimalLogger } from "./minimal-logger.ts";
import { EMPTY_STORE_DOCUMENT, type StoreDocument, validateStoreDocument } from "./store-document.ts";

/** Read and change one JSON object in the store. */
export interface StoreView<T extends object> {
  /** The committed value, deep-frozen (what is on disk). */
  read(): Readonly<T>;
  /**
   * Runs `fn` on a mutable copy of the latest committed value (mutate it, or return a new
   * value), writes the result durably and resolves with it. Updates run one at a time, so a
   * read-modify-write never races another. If `fn` throws or the write fails, nothing changes.
   */
  update(fn: (draft: T) => T | undefined): Promise<Readonly<T>>;
}

/** The agent's local store: its own keys plus one namespaced view per plugin. */
export interface LocalStore<T extends object> extends StoreView<T> {
  readonly file: string;
  /** True when the file was damaged on open and the previous generation (`.bak`) was used. */
  readonly recoveredFromBackup: boolean;
  /**
   * A view that sees only the keys of `name` (e.g. a plugin's name). `defaults` fill keys the
   * file does not have yet (shallow).
   */
  namespace<N extends object>(name: string, defaults: N): StoreView<N>;
  /** Waits for pending writes; later updates reject. */
  close(): Promise<void>;
}

/** Options of `openLocalStore`. */
export interface LocalStoreOptions<T extends object> {
  /** The JSON file, e.g. `/var/lib/mtx-agent/state.json`; its directory is created if missing. */
  readonly file: string;
  /** The agent's own keys when the file has none yet (shallow defaults). */
  readonly defaults: T;
  readonly logger?: MinimalLogger;
}

const NAMESPACE_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/i;

/**
 * Opens (or creates on first write) the agent's small JSON state file, using lowdb with a
 * durable adapter: atomic, fsync'd writes, a `.bak` of the previous generation, and damaged
 * files recovered from it or refused with `MTX_INVALID_INPUT`.
 */
export async function openLocalStore<T extends object>(
  options: LocalStoreOptions<T>,
): Promise<LocalStore<T>> {
  await mkdir(dirname(options.file), { recursive: true });
  const adapter = new DurableJsonAdapter(options.file, {
    validate: validateStoreDocument,
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  });
  // lowdb's Low.update mutates in memory before writing; we write first and swap after, so a
  // failed write (disk full) never leaves memory ahead of the disk.
  const db = new Low<StoreDocument>(adapter, EMPTY_STORE_DOCUMENT);
  await db.read();
  db.data = deepFreeze(db.data);
  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;

  const commit = (change: (doc: StoreDocument) => StoreDocument): Promise<StoreDocument> => {
    if (closed) return Promise.reject(new MtxError("MTX_INTERNAL", `store ${options.file} is closed`));
    const run = queue.then(async () => {
      // A JSON round trip makes the committed value exactly what a restart would read back.
      const next = JSON.parse(JSON.stringify(change(db.data))) as StoreDocument;
      await adapter.write(next);
      db.data = deepFreeze(next);
      return db.data;
    });
    queue = run.catch(() => {});
    return run;
  };

  const view = <N extends object>(
    get: (doc: StoreDocument) => N,
    set: (doc: StoreDocument, value: N) => StoreDocument,
  ): StoreView<N> => ({
    read: () => get(db.data),
    update: async (fn) => {
      const doc = await commit((current) => {
        const draft = structuredClone(get(current)) as N;
        return set(current, fn(draft) ?? draft);
      });
      return get(doc);
    },
  });

  const root = view<T>(
    (doc) => withDefaults(options.defaults, doc.data),
    (doc, value) => ({ ...doc, data: value as Record<string, unknown> }),
  );
  return {
    ...root,
    file: options.file,
    get recoveredFromBackup() {
      return adapter.recoveredFromBackup;
    },
    namespace: <N extends object>(name: string, defaults: N) => {
      if (!NAMESPACE_PATTERN.test(name)) {
        throw new MtxError("MTX_INVALID_INPUT", `store namespace '${name}' must match ${NAMESPACE_PATTERN}`, {
          details: { issues: [`namespace must match ${NAMESPACE_PATTERN}`] },
        });
      }
      return view<N>(
        (doc) => withDefaults(defaults, doc.namespaces[name]),
        (doc, value) => ({
          ...doc,
          namespaces: { ...doc.namespaces, [name]: value as Record<string, unknown> },
        }),
      );
    },
    close: async () => {
      closed = true;
      await queue;
    },
  };
}

/** Stored keys over defaults (shallow); frozen like the stored value. */
function withDefaults<N extends object>(defaults: N, stored: object | undefined): N {
  if (stored === undefined) return deepFreeze(structuredClone(defaults));
  const missing = Object.keys(defaults).some((key) => !(key in stored));
  return missing ? deepFreeze({ ...structuredClone(defaults), ...stored }) : (stored as N);
}
