import type { PathConf } from "../config/merged-path-conf.ts";
import type { Conn, SessionKind } from "./conn.ts";
import type { MediaHandle, Scenario } from "./media-handle.ts";

/** The publisher (or pulled source) of a runtime path. */
export interface PathSource {
  readonly type: string;
  /** Session UUID for publishers, `""` for pulled sources. */
  readonly id: string;
  readonly conn: Conn | undefined;
  readonly query: string;
  scenario: Scenario;
  readonly media: MediaHandle | undefined;
  readonly onlineMs: number;
  /** When the stream became available; undefined while a pulled source is not connected. */
  readonly availableMs: number | undefined;
  /** Synthetic publishers of scale/demo mode come back after being dropped, like a retrying client. */
  readonly autoReconnect: boolean;
}

/** A reader of a runtime path. */
export interface PathReader {
  readonly type: SessionKind;
  readonly conn: Conn;
}

/** One runtime path (an entry of `/v3/paths/list`). */
export class RuntimePath {
  readonly name: string;
  confName: string;
  conf: PathConf;
  groups: readonly string[];
  readonly createdMs: number;
  source: PathSource | undefined;
  readonly readers = new Map<string, PathReader>();
  /** Bytes already sent to readers that left (outbound stays cumulative for the stream). */
  outboundBase = 0;

  constructor(init: {
    name: string;
    confName: string;
    conf: PathConf;
    groups: readonly string[];
    nowMs: number;
  }) {
    this.name = init.name;
    this.confName = init.confName;
    this.conf = init.conf;
    this.groups = init.groups;
    this.createdMs = init.nowMs;
  }

  /** Set for `alwaysAvailable` paths: the offline segment makes them available without a source. */
  alwaysAvailableMs: number | undefined;

  get available(): boolean {
    return this.availableMs !== undefined;
  }

  get availableMs(): number | undefined {
    return this.source?.availableMs ?? this.alwaysAvailableMs;
  }

  inboundBytes(nowMs: number): number {
    const media = this.source?.media;
    return media === undefined || !this.available ? 0 : media.inboundBytes(nowMs);
  }

  outboundBytes(nowMs: number): number {
    if (!this.available) return 0;
    let sum = this.outboundBase;
    for (const r of this.readers.values()) sum += r.conn.outbound.value(nowMs);
    return sum;
  }

  /** True when the path is only listed because a regex config matched it and it is in use. */
  get isInUse(): boolean {
    return this.source !== undefined || this.readers.size > 0;
  }
}
