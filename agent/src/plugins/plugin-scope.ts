/**
 * Everything one run of a plugin registered (timers, listeners, metrics, routes), removed in
 * reverse order by `dispose()`; `signal` aborts at the same moment. A restarted plugin gets a
 * new scope, so nothing from the failed run survives.
 */
export class PluginScope {
  readonly #controller = new AbortController();
  readonly #disposers: Array<() => void> = [];

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  get disposed(): boolean {
    return this.#controller.signal.aborted;
  }

  /** Registers a cleanup; if the scope is already disposed it runs at once. */
  add(dispose: () => void): void {
    if (this.disposed) {
      dispose();
      return;
    }
    this.#disposers.push(dispose);
  }

  /** Number of live registrations (for tests and the local API). */
  get size(): number {
    return this.#disposers.length;
  }

  dispose(): void {
    if (this.disposed) return;
    this.#controller.abort(new Error("plugin stopped"));
    for (const dispose of this.#disposers.splice(0).reverse()) {
      try {
        dispose();
      } catch {
        // A cleanup that throws must not keep the others from running.
      }
    }
  }
}
