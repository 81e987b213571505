import type { Conn, ConnKind } from "./conn.ts";

/** Every simulated client object, in creation order (the API's ordering of conns/sessions). */
export class ConnRegistry {
  readonly #conns = new Map<string, Conn>();

  add(conn: Conn): void {
    this.#conns.set(conn.id, conn);
  }

  remove(id: string): Conn | undefined {
    const c = this.#conns.get(id);
    this.#conns.delete(id);
    return c;
  }

  get(id: string): Conn | undefined {
    return this.#conns.get(id);
  }

  list(kind: ConnKind): Conn[] {
    return [...this.#conns.values()].filter((c) => c.kind === kind);
  }

  all(): Conn[] {
    return [...this.#conns.values()];
  }

  clear(): void {
    this.#conns.clear();
  }
}
