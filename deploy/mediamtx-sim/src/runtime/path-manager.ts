import { randomUUID } from "node:crypto";
import type { Conf } from "../config/conf.ts";
import { mergedPathConf, type PathConf } from "../config/merged-path-conf.ts";
import { isRegexConfName, matchPathConf } from "../config/path-matcher.ts";
import type { Logger } from "../log/create-logger.ts";
import { pathNameProblem } from "../recording/find-path-conf.ts";
import { pathConfChange } from "./conf-diff.ts";
import type { Conn, ConnKind, Counter, SessionKind } from "./conn.ts";
import type { ConnRegistry } from "./conn-registry.ts";
import { ControlError } from "./control-error.ts";
import type { MediaFactory, MediaHandle, Scenario } from "./media-handle.ts";
import type { PathListener } from "./path-listener.ts";
import { type PathReader, RuntimePath } from "./runtime-path.ts";

const RECONNECT_AFTER_MS = 1_000;
const PULLED_SOURCE_TYPES: Record<string, string> = {
  rtsp: "rtspSource",
  rtsps: "rtspSource",
  rtmp: "rtmpSource",
  rtmps: "rtmpSource",
  http: "hlsSource",
  https: "hlsSource",
  udp: "mpegtsSource",
  "udp+mpegts": "mpegtsSource",
  "unix+mpegts": "mpegtsSource",
  "udp+rtp": "rtpSource",
  srt: "srtSource",
  whep: "webRTCSource",
  wheps: "webRTCSource",
  moq: "moqSource",
  moqs: "moqSource",
};

/** Options of `publish`. */
export interface PublishOptions {
  readonly sourceType?: SessionKind;
  readonly scenario?: Scenario;
  readonly query?: string;
  readonly autoReconnect?: boolean;
  /** A real client connection, already registered with `openConn` (RTMP); else a session is simulated. */
  readonly conn?: Conn;
  /** The media of a real publisher; else the factory starts the scenario's media. */
  readonly media?: (previousStopped: Promise<void>) => MediaHandle;
}

/** Options of `addReader`. */
export interface AddReaderOptions {
  readonly type?: SessionKind;
  readonly query?: string;
  /** A real client connection, already registered with `openConn`; else a session is simulated. */
  readonly conn?: Conn;
}

/** MediaMTX's path manager: runtime paths, their publishers and readers. */
export class PathManager {
  readonly #paths = new Map<string, RuntimePath>();
  #sorted: RuntimePath[] | undefined;
  #conf: Conf;
  readonly #registry: ConnRegistry;
  readonly #media: MediaFactory;
  readonly #listeners: PathListener[] = [];
  readonly #log: Logger;
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #stopping = new Set<Promise<void>>();
  /** Per path: resolves once the media of the last publisher stopped (its HLS dir is reused). */
  readonly #mediaStopped = new Map<string, Promise<void>>();
  #nextPort = 40_000;
  #closed = false;

  constructor(options: { conf: Conf; registry: ConnRegistry; media: MediaFactory; log: Logger }) {
    this.#conf = options.conf;
    this.#registry = options.registry;
    this.#media = options.media;
    this.#log = options.log;
  }

  addListener(listener: PathListener): void {
    this.#listeners.push(listener);
  }

  #emit<K extends keyof PathListener>(event: K, ...args: Parameters<NonNullable<PathListener[K]>>): void {
    for (const l of this.#listeners) {
      try {
        (l[event] as ((...a: unknown[]) => void) | undefined)?.(...args);
      } catch (e) {
        this.#log.error({ err: String(e), event }, "path listener failed");
      }
    }
  }

  /** Runtime paths sorted by name (the API order); cached between changes. */
  list(): readonly RuntimePath[] {
    this.#sorted ??= [...this.#paths.values()].sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
    return this.#sorted;
  }

  get(name: string): RuntimePath | undefined {
    return this.#paths.get(name);
  }

  /** Creates the idle paths of every literal config (startup). */
  start(): void {
    this.#closed = false;
    this.reconcile(this.#conf, false);
  }

  /** Applies a new config: closes paths whose config changed in a non-hot way, creates new literal paths. */
  reconcile(conf: Conf, closeAll: boolean): void {
    this.#conf = conf;
    for (const path of [...this.#paths.values()]) {
      const match = matchPathConf(conf, path.name);
      const next = match === undefined ? undefined : mergedPathConf(conf, match.confName);
      if (closeAll || match === undefined || next === undefined || match.confName !== path.confName) {
        this.#closePath(path);
        continue;
      }
      const change = pathConfChange(path.conf, next);
      if (change === "close") {
        this.#closePath(path);
        continue;
      }
      const previous = path.conf;
      path.conf = next;
      if (change === "record") this.#emit("recordConfChanged", path, previous);
    }
    for (const name of conf.paths.keys()) {
      if (!isRegexConfName(name) && !this.#paths.has(name)) this.#createPath(name);
    }
  }

  #createPath(name: string): RuntimePath | undefined {
    const match = matchPathConf(this.#conf, name);
    const conf = match === undefined ? undefined : mergedPathConf(this.#conf, match.confName);
    if (match === undefined || conf === undefined) return undefined;
    const now = Date.now();
    const path = new RuntimePath({ name, confName: match.confName, conf, groups: match.groups, nowMs: now });
    this.#paths.set(name, path);
    this.#sorted = undefined;
    const source = String(conf.source);
    if (source !== "publisher" && !(conf.sourceOnDemand === true)) {
      const scheme = source.split("://")[0] ?? "";
      const type =
        source === "redirect"
          ? "redirect"
          : source === "rpiCamera"
            ? "rpiCameraSource"
            : PULLED_SOURCE_TYPES[scheme];
      // Trap 9: a pulled source is "online" with a source object even while it cannot connect.
      if (type !== undefined) {
        path.source = {
          type,
          id: "",
          conn: undefined,
          query: "",
          scenario: "synthetic",
          media: undefined,
          onlineMs: now,
          availableMs: undefined,
          autoReconnect: false,
        };
      }
    }
    if (conf.alwaysAvailable === true) path.alwaysAvailableMs = now;
    if (!isRegexConfName(match.confName)) this.#emit("pathCreated", path);
    return path;
  }

  #closePath(path: RuntimePath): void {
    this.#dropSource(path, { reconnect: path.source?.autoReconnect === true });
    this.#paths.delete(path.name);
    this.#sorted = undefined;
    if (!isRegexConfName(path.confName)) this.#emit("pathClosed", path);
    if (!this.#closed && !isRegexConfName(path.confName) && this.#conf.paths.has(path.name)) {
      this.#createPath(path.name);
    }
  }

  #remoteAddr(): string {
    this.#nextPort = this.#nextPort >= 60_000 ? 40_000 : this.#nextPort + 1;
    return `127.0.0.1:${this.#nextPort}`;
  }

  #newConn(kind: ConnKind, init: Partial<Conn> & Pick<Conn, "state" | "path">): Conn {
    const zero: Counter = { value: () => 0 };
    const conn: Conn = {
      id: randomUUID(),
      kind,
      createdMs: Date.now(),
      remoteAddr: this.#remoteAddr(),
      query: "",
      user: "",
      userAgent: "",
      inbound: zero,
      outbound: zero,
      linked: [],
      ...init,
    };
    this.#registry.add(conn);
    this.#emit("connOpened", conn);
    return conn;
  }

  /** Adds a session and, for RTSP, the TCP connection that carries it. */
  #newSession(kind: SessionKind, init: Partial<Conn> & Pick<Conn, "state" | "path">): Conn {
    const session = this.#newConn(kind, init);
    if (kind === "rtspSession" || kind === "rtspsSession") {
      const tcp = this.#newConn(kind === "rtspSession" ? "rtspConn" : "rtspsConn", {
        state: "idle",
        path: "",
        remoteAddr: session.remoteAddr,
        inbound: session.inbound,
        outbound: session.outbound,
        linked: [session.id],
      });
      session.linked.push(tcp.id);
    }
    return session;
  }

  #removeSession(conn: Conn): void {
    if (this.#registry.remove(conn.id) !== undefined) this.#emit("connClosed", conn);
    conn.close?.();
    for (const id of conn.linked) {
      const linked = this.#registry.get(id);
      if (linked !== undefined && (linked.kind === "rtspConn" || linked.kind === "rtspsConn")) {
        this.#registry.remove(id);
        this.#emit("connClosed", linked);
      }
    }
  }

  /** A publisher appears on `name` (control endpoint, scale and demo mode). */
  publish(name: string, options: PublishOptions = {}): RuntimePath {
    const { sourceType = "rtmpConn", scenario = "testsrc", query = "", autoReconnect = false } = options;
    const match = matchPathConf(this.#conf, name);
    if (match === undefined) throw new ControlError(400, `path '${name}' is not configured`);
    let path = this.#paths.get(name);
    const conf = path?.conf ?? mergedPathConf(this.#conf, match.confName);
    if (conf?.source !== "publisher") {
      throw new ControlError(400, `can't publish to path '${name}': path has a static source`);
    }
    if (path?.source !== undefined) {
      if (path.conf.overridePublisher !== true) {
        throw new ControlError(400, `someone is already publishing to path '${name}'`);
      }
      this.#dropSource(path, { reconnect: false });
    }
    path ??= this.#createPath(name);
    if (path === undefined) throw new ControlError(400, `path '${name}' is not configured`);
    const now = Date.now();
    const previousStopped = this.#mediaStopped.get(name) ?? Promise.resolve();
    const media = options.media?.(previousStopped) ?? this.#media(name, scenario, now, previousStopped);
    const target = path;
    const conn =
      options.conn ??
      this.#newSession(sourceType, {
        state: "publish",
        path: name,
        query,
        inbound: { value: (t) => target.inboundBytes(t) },
      });
    path.source = {
      type: sourceType,
      id: conn.id,
      conn,
      query,
      scenario,
      media,
      onlineMs: now,
      availableMs: now,
      autoReconnect,
    };
    this.#emit("sourceReady", path);
    return path;
  }

  /** The publisher of `name` leaves. */
  unpublish(name: string): void {
    const path = this.#paths.get(name);
    if (path?.source?.conn === undefined) throw new ControlError(400, `path '${name}' has no publisher`);
    this.#dropSource(path, { reconnect: false });
    this.#removeIfUnused(path);
  }

  async setScenario(name: string, scenario: Scenario): Promise<void> {
    const source = this.#paths.get(name)?.source;
    if (source?.media === undefined) throw new ControlError(400, `path '${name}' has no publisher`);
    if (source.conn?.close !== undefined) {
      throw new ControlError(400, `path '${name}' is published by a real client`);
    }
    source.scenario = scenario;
    await source.media.setScenario(scenario, Date.now());
  }

  #dropSource(path: RuntimePath, options: { reconnect: boolean }): void {
    const source = path.source;
    for (const reader of [...path.readers.values()]) this.#removeReader(path, reader);
    path.outboundBase = 0;
    if (source === undefined) return;
    path.source = undefined;
    if (source.conn !== undefined) this.#removeSession(source.conn);
    if (source.availableMs !== undefined) this.#emit("sourceNotReady", path);
    const stopped = source.media
      ?.stop()
      .catch((e: unknown) => this.#log.warn({ err: String(e), path: path.name }, "media stop failed"));
    if (stopped !== undefined) {
      this.#mediaStopped.set(path.name, stopped);
      this.#stopping.add(stopped);
      void stopped.finally(() => {
        this.#stopping.delete(stopped);
        if (this.#mediaStopped.get(path.name) === stopped) this.#mediaStopped.delete(path.name);
      });
    }
    if (options.reconnect && source.autoReconnect) {
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        try {
          this.publish(path.name, {
            sourceType: source.type as SessionKind,
            scenario: source.scenario,
            autoReconnect: true,
          });
        } catch {
          // config no longer allows it: a real client would keep failing too
        }
      }, RECONNECT_AFTER_MS);
      this.#timers.add(timer);
    }
  }

  #removeIfUnused(path: RuntimePath): void {
    if (isRegexConfName(path.confName) && !path.isInUse) {
      this.#paths.delete(path.name);
      this.#sorted = undefined;
    }
  }

  /** A reader joins; returns its session id. */
  addReader(name: string, options: AddReaderOptions = {}): string {
    const { type = "rtspSession", query = "" } = options;
    if (matchPathConf(this.#conf, name) === undefined)
      throw new ControlError(400, `path '${name}' is not configured`);
    const path = this.#paths.get(name);
    if (path === undefined || !path.available) {
      throw new ControlError(400, `no stream is available on path '${name}'`);
    }
    const max = Number(path.conf.maxReaders);
    if (max > 0 && path.readers.size >= max) throw new ControlError(400, "maximum reader count reached");
    const joinedAt = path.inboundBytes(Date.now());
    const conn =
      options.conn ??
      this.#newSession(type, {
        state: "read",
        path: name,
        query,
        outbound: { value: (t) => Math.max(0, path.inboundBytes(t) - joinedAt) },
      });
    const reader: PathReader = { type, conn };
    path.readers.set(conn.id, reader);
    this.#emit("readerAdded", path, reader);
    return conn.id;
  }

  removeReader(name: string, id: string): void {
    const path = this.#paths.get(name);
    const reader = path?.readers.get(id);
    if (path === undefined || reader === undefined) throw new ControlError(404, "reader not found");
    this.#removeReader(path, reader);
    this.#removeIfUnused(path);
  }

  #removeReader(path: RuntimePath, reader: PathReader): void {
    path.outboundBase += reader.conn.outbound.value(Date.now());
    path.readers.delete(reader.conn.id);
    this.#removeSession(reader.conn);
    this.#emit("readerRemoved", path, reader);
  }

  /** The merged config a path name resolves to; throws MediaMTX's error when none matches. */
  findPathConf(name: string): { confName: string; conf: PathConf } {
    const problem = this.#conf.paths.has(name) ? undefined : pathNameProblem(name);
    if (problem !== undefined) throw new ControlError(400, `invalid path name: ${problem} (${name})`);
    const match = matchPathConf(this.#conf, name);
    const conf = match === undefined ? undefined : mergedPathConf(this.#conf, match.confName);
    if (match === undefined || conf === undefined)
      throw new ControlError(400, `path '${name}' is not configured`);
    return { confName: match.confName, conf: this.#paths.get(name)?.conf ?? conf };
  }

  /** A real client connected (RTMP): it is listed and `runOnConnect` runs. */
  openConn(conn: Conn): void {
    this.#registry.add(conn);
    this.#emit("connOpened", conn);
  }

  /** A real client's connection ended: it stops publishing/reading and leaves the lists; idempotent. */
  closeConn(conn: Conn): void {
    if (this.#registry.get(conn.id) === conn) this.kick(conn.id);
  }

  /** Closes the client `id` (API kick): a publisher's path becomes unavailable. */
  kick(id: string): boolean {
    const conn = this.#registry.get(id);
    if (conn === undefined) return false;
    const path = this.#paths.get(conn.path);
    if (path?.source?.conn?.id === id) {
      this.#dropSource(path, { reconnect: true });
      this.#removeIfUnused(path);
    } else if (path?.readers.has(id)) {
      this.removeReader(path.name, id);
    } else {
      this.#removeSession(conn);
    }
    return true;
  }

  /** Drops every client of the given kinds (a protocol server restarted or was disabled). */
  dropKinds(kinds: readonly ConnKind[]): void {
    for (const path of [...this.#paths.values()]) {
      for (const r of [...path.readers.values()])
        if (kinds.includes(r.type)) this.removeReader(path.name, r.conn.id);
      const src = path.source?.conn;
      if (src !== undefined && kinds.includes(src.kind)) {
        this.#dropSource(path, { reconnect: true });
        this.#removeIfUnused(path);
      }
    }
    for (const c of this.#registry.all())
      if (c.close !== undefined && kinds.includes(c.kind)) this.#removeSession(c);
  }

  /** Waits until the media of closed paths has stopped (shutdown). */
  async drain(): Promise<void> {
    await Promise.all([...this.#stopping]);
  }

  /** Closes every path (restart/shutdown); `recreate` brings back the idle literal paths. */
  closeAll(options: { recreate: boolean }): void {
    this.#closed = !options.recreate;
    for (const path of [...this.#paths.values()]) this.#closePath(path);
    // Restarting the path manager restarts every protocol server: real clients are dropped.
    for (const c of this.#registry.all()) if (c.close !== undefined) this.#removeSession(c);
    if (!options.recreate) for (const t of this.#timers) clearTimeout(t);
  }
}
