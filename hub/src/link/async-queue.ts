/**
 * An unbounded FIFO read by one async consumer. `close()` ends the iteration after the queued
 * items; `close(error)` makes it throw `error` at once (queued items are dropped).
 */
export class AsyncQueue<T> implements AsyncIterable<T> {
  readonly #items: T[] = [];
  #wake: (() => void) | undefined;
  #closed = false;
  #error: { readonly error: unknown } | undefined;

  get closed(): boolean {
    return this.#closed;
  }

  /** Queues an item; returns false (and drops it) once the queue is closed. */
  push(item: T): boolean {
    if (this.#closed) return false;
    this.#items.push(item);
    this.#notify();
    return true;
  }

  close(error?: unknown): void {
    if (this.#closed) return;
    this.#closed = true;
    if (error !== undefined) this.#error = { error };
    this.#notify();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    for (;;) {
      if (this.#error !== undefined) throw this.#error.error;
      const item = this.#items.shift();
      if (item !== undefined) {
        yield item;
        continue;
      }
      if (this.#closed) return;
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    }
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}
