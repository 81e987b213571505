import { randomUUID } from "node:crypto";
import type { Conn, Counter } from "../runtime/conn.ts";

/** A viewer of a path over HLS (`/v3/hlssessions`, reader type `hlsSession`, v1.18+). */
export class HlsSession implements Conn {
  readonly id = randomUUID();
  /** What the client presents (cookie `hlsSession` or query `session`); never shown in the API. */
  readonly secret = randomUUID();
  readonly kind = "hlsSession" as const;
  readonly createdMs = Date.now();
  readonly state = "read" as const;
  readonly linked: string[] = [];
  readonly inbound: Counter = { value: () => 0 };
  readonly outbound: Counter = { value: () => this.bytesSent };
  readonly remoteAddr: string;
  readonly path: string;
  readonly query: string;
  readonly user: string;
  readonly userAgent: string;
  bytesSent = 0;
  readonly #onClose: (s: HlsSession) => void;

  constructor(init: {
    remoteAddr: string;
    path: string;
    query: string;
    user: string;
    userAgent: string;
    onClose: (s: HlsSession) => void;
  }) {
    this.remoteAddr = init.remoteAddr;
    this.path = init.path;
    this.query = init.query;
    this.user = init.user;
    this.userAgent = init.userAgent;
    this.#onClose = init.onClose;
  }

  /** Kicked, expired or its path went away: later requests with its secret get 401. */
  close(): void {
    this.#onClose(this);
  }
}
