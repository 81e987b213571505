import type { Conn } from "./conn.ts";

/** A viewer's HLS session as the muxer keeps it (found by its secret, cookie or `session` query). */
export interface HlsSessionEntry {
  readonly conn: Conn;
  readonly secret: string;
  /** The IP that created it: requests from another IP do not match (MediaMTX `findSession`). */
  readonly ip: string;
  lastRequestMs: number;
}

/** One HLS muxer (`/v3/hlsmuxers`): created by the first viewer of a path, closed when unused. */
export interface HlsMuxer {
  readonly path: string;
  readonly createdMs: number;
  lastRequestMs: number;
  outboundBytes: number;
  readonly sessions: Map<string, HlsSessionEntry>;
}

/** The HLS muxers of the running HLS server, shared with the API and metrics. */
export class HlsMuxerRegistry {
  readonly #muxers = new Map<string, HlsMuxer>();

  get(path: string): HlsMuxer | undefined {
    return this.#muxers.get(path);
  }

  getOrCreate(path: string, nowMs: number): HlsMuxer {
    let m = this.#muxers.get(path);
    if (m === undefined) {
      m = { path, createdMs: nowMs, lastRequestMs: nowMs, outboundBytes: 0, sessions: new Map() };
      this.#muxers.set(path, m);
    }
    return m;
  }

  delete(path: string): HlsMuxer | undefined {
    const m = this.#muxers.get(path);
    this.#muxers.delete(path);
    return m;
  }

  /** By creation time, like MediaMTX's list. */
  list(): HlsMuxer[] {
    return [...this.#muxers.values()].sort((a, b) => a.createdMs - b.createdMs);
  }
}
