import { type FSWatcher, watch } from "node:fs";
import { basename, dirname } from "node:path";

const SETTLE_MS = 10;
const MIN_INTERVAL_MS = 1_000;

/**
 * MediaMTX's `confwatcher`: watches the file's directory; on a write/create of the file waits
 * 10 ms and reloads; events within 1 s after the previous reload are dropped, not deferred.
 */
export class ConfWatcher {
  readonly #watcher: FSWatcher;
  #lastReloadMs = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(file: string, onChange: () => void) {
    const name = basename(file);
    this.#watcher = watch(dirname(file), (_event, changed) => {
      if (changed !== name) return;
      if (Date.now() - this.#lastReloadMs < MIN_INTERVAL_MS || this.#timer !== undefined) return;
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.#lastReloadMs = Date.now();
        onChange();
      }, SETTLE_MS);
    });
  }

  close(): void {
    clearTimeout(this.#timer);
    this.#watcher.close();
  }
}
