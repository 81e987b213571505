/**
 * Everything one run of a plugin registered (timers, listeners, metrics, routes), removed in
 * reverse order by `dispose()`; `signal` aborts at the same moment. A restarted plugin gets a
 * new scope, so nothing from the failed run survives.
 */
export class PluginScope {
  readonly #controller = new AbortController();
  // A Set keeps insertion order (disposal runs it backwards) and forgets a cleanup in O(1).
  readonly #disposers = new Set<() => void>();

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  get disposed(): boolean {
    return this.#controller.signal.aborted;
  }

  /**
   * Registers a cleanup; if the scope is already disposed it runs at once. Returns a function
   * that forgets the cleanup without running it (a timer that fired, a listener removed early),
   * so a long-running plugin does not accumulate cleanups of things already gone.
   */
  add(dispose: () => void): () => void {
    if (this.disposed) {
      dispose();
      return () => {};
    }
    // Wrapped, so the same function registered twice is two registrations.
    const entry = (): void => dispose();
    this.#disposers.add(entry);
    return () => {
      this.#disposers.delete(entry);
    };
  }

  /** Number of live registrations (for tests and the local API). */
  get size(): number {
    return this.#disposers.size;
  }

  dispose(): void {
    if (this.disposed) return;
    this.#controller.abort(new Error("plugin stopped"));
    const disposers = [...this.#disposers].reverse();
    this.#disposers.clear();
    for (const dispose of disposers) {
      try {
        dispose();
      } catch {
        // A cleanup that throws must not keep the others from running.
      }
    }
  }
}
