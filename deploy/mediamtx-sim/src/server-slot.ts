import type { IncomingMessage, ServerResponse } from "node:http";
import { type HttpListener, listenHttp } from "./util/http-listener.ts";

/** One optional HTTP server bound to a config address; rebinds when the address changes. */
export class ServerSlot {
  #listener: HttpListener | undefined;
  readonly #handler: (req: IncomingMessage, res: ServerResponse) => void;

  constructor(handler: (req: IncomingMessage, res: ServerResponse) => void) {
    this.#handler = handler;
  }

  get url(): string | null {
    return this.#listener?.url ?? null;
  }

  /** Starts, stops or rebinds; throws Go-like listen errors (fatal for MediaMTX). */
  async sync(enabled: boolean, address: string): Promise<void> {
    const l = this.#listener;
    // Port 0 resolved to a real port: naming that port again is not a change.
    const same = l !== undefined && (l.address === address || new URL(l.url).host === address);
    if (l !== undefined && (!enabled || !same)) {
      await l.close();
      this.#listener = undefined;
    }
    if (enabled && this.#listener === undefined) this.#listener = await listenHttp(address, this.#handler);
  }

  async close(): Promise<void> {
    await this.#listener?.close();
    this.#listener = undefined;
  }
}
