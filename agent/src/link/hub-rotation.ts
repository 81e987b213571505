import { MtxError } from "@mtx-fleet/plugin-api";

/** The hub URLs taken in turn: the next one after each failed attempt or ended session. */
export class HubRotation {
  readonly #urls: readonly string[];
  #index = 0;

  constructor(urls: string | readonly string[]) {
    this.#urls = [urls].flat();
    if (this.#urls.length === 0) throw new MtxError("MTX_INVALID_INPUT", "the link client needs a hub URL");
  }

  get current(): string {
    return this.#urls[this.#index] as string;
  }

  next(): void {
    this.#index = (this.#index + 1) % this.#urls.length;
  }
}
