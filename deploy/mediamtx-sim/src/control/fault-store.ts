/** An injected failure of the Control API. */
export interface Fault {
  readonly route: string;
  readonly method: string;
  readonly query: Readonly<Record<string, string>>;
  readonly kind: "status" | "reset" | "delay";
  readonly status: number;
  readonly body: unknown;
  readonly delayMs: number;
  remaining: number;
}

/** Faults waiting to hit the next matching API requests. */
export class FaultStore {
  #faults: Fault[] = [];

  add(fault: Fault): void {
    this.#faults.push(fault);
  }

  clear(): void {
    this.#faults = [];
  }

  list(): readonly Fault[] {
    return this.#faults;
  }

  /** Consumes one use of the first fault matching the request. */
  take(method: string, pathname: string, query: URLSearchParams): Fault | undefined {
    const f = this.#faults.find(
      (x) =>
        x.method === method &&
        pathname.startsWith(x.route) &&
        Object.entries(x.query).every(([k, v]) => query.get(k) === v),
    );
    if (f === undefined) return undefined;
    f.remaining -= 1;
    if (f.remaining <= 0) this.#faults = this.#faults.filter((x) => x !== f);
    return f;
  }
}
