import type { Conf } from "../config/conf.ts";
import {
  connHookVars,
  pathHookVars,
  type RunningHook,
  readerHookVars,
  runHook,
  segmentHookVars,
  sourceHookVars,
} from "../hooks/index.ts";
import type { Logger } from "../log/create-logger.ts";
import { isModern, type MtxVersion } from "../spec/mtx-version.ts";
import type { Conn } from "./conn.ts";
import type { PathListener } from "./path-listener.ts";
import type { PathReader, RuntimePath } from "./runtime-path.ts";

const CONNECT_KINDS = new Set(["rtspConn", "rtspsConn", "rtmpConn", "rtmpsConn", "srtConn"]);
const SHUTDOWN_KILL_AFTER_MS = 3_000;

/** Runs MediaMTX's hooks (§4) at path lifecycle transitions, through the hooks lib. */
export class HookListener implements PathListener {
  readonly #running = new Map<string, { name: string; hooks: RunningHook[] }>();
  readonly #closing = new Map<RunningHook, Promise<void>>();
  readonly #version: MtxVersion;
  readonly #conf: () => Conf;
  readonly #cwd: string;
  readonly #log: Logger;

  constructor(options: { version: MtxVersion; conf: () => Conf; cwd: string; log: Logger }) {
    this.#version = options.version;
    this.#conf = options.conf;
    this.#cwd = options.cwd;
    this.#log = options.log;
  }

  #rtspPort(): string {
    return (
      String(this.#conf().global.rtspAddress ?? ":8554")
        .split(":")
        .pop() ?? "8554"
    );
  }

  #pathVars(p: RuntimePath): Record<string, string> {
    return pathHookVars({ path: p.name, rtspPort: this.#rtspPort(), groups: [...p.groups] });
  }

  #start(key: string, name: string, command: unknown, restart: unknown, vars: Record<string, string>): void {
    if (typeof command !== "string" || command === "") return;
    const hook = runHook({
      command,
      vars,
      restart: restart === true,
      cwd: this.#cwd,
      logger: this.#log.child({ hook: name }),
      onStartError: (e) => this.#log.error({ hook: name, err: e.message }, `${name} command failed to start`),
    });
    const entry = this.#running.get(key) ?? { name, hooks: [] };
    entry.hooks.push(hook);
    this.#running.set(key, entry);
  }

  #stop(key: string): void {
    const entry = this.#running.get(key);
    this.#running.delete(key);
    for (const h of entry?.hooks ?? []) {
      h.stop().catch((e: unknown) => this.#log.warn({ err: String(e) }, "hook stop failed"));
    }
  }

  /** Closing hooks are fire-and-forget: never restarted, never killed, awaited on shutdown. */
  #fire(name: string, command: unknown, vars: Record<string, string>): void {
    if (typeof command !== "string" || command === "") return;
    let exited: () => void = () => {};
    const done = new Promise<void>((resolve) => {
      exited = resolve;
    });
    const hook = runHook({
      command,
      vars,
      restart: false,
      cwd: this.#cwd,
      logger: this.#log.child({ hook: name }),
      onExit: () => exited(),
      onStartError: (e) => {
        exited();
        this.#log.error({ hook: name, err: e.message }, `${name} command failed to start`);
      },
    });
    this.#closing.set(hook, done);
    void done.then(() => this.#closing.delete(hook));
  }

  pathCreated(p: RuntimePath): void {
    this.#start(`init:${p.name}`, "runOnInit", p.conf.runOnInit, p.conf.runOnInitRestart, this.#pathVars(p));
  }

  pathClosed(p: RuntimePath): void {
    this.#stop(`init:${p.name}`);
  }

  sourceReady(p: RuntimePath): void {
    const s = p.source;
    if (s === undefined) return;
    const vars = {
      ...this.#pathVars(p),
      ...sourceHookVars({ query: s.query, sourceType: s.type, sourceId: s.id, version: this.#version }),
    };
    if (isModern(this.#version)) {
      this.#start(
        `ready:${p.name}`,
        "runOnAvailable",
        p.conf.runOnAvailable,
        p.conf.runOnAvailableRestart,
        vars,
      );
      this.#start(`ready:${p.name}`, "runOnOnline", p.conf.runOnOnline, p.conf.runOnOnlineRestart, vars);
    } else {
      this.#start(`ready:${p.name}`, "runOnReady", p.conf.runOnReady, p.conf.runOnReadyRestart, vars);
    }
    this.#lastSourceVars.set(p.name, vars);
  }

  readonly #lastSourceVars = new Map<string, Record<string, string>>();

  sourceNotReady(p: RuntimePath): void {
    this.#stop(`ready:${p.name}`);
    const vars = this.#lastSourceVars.get(p.name) ?? this.#pathVars(p);
    this.#lastSourceVars.delete(p.name);
    if (isModern(this.#version)) {
      this.#fire("runOnUnavailable", p.conf.runOnUnavailable, vars);
      this.#fire("runOnOffline", p.conf.runOnOffline, vars);
    } else {
      this.#fire("runOnNotReady", p.conf.runOnNotReady, vars);
    }
  }

  #readerVars(p: RuntimePath, r: PathReader): Record<string, string> {
    const type = !isModern(this.#version) && r.type === "hlsSession" ? "hlsMuxer" : r.type;
    return {
      ...this.#pathVars(p),
      ...readerHookVars({
        query: r.conn.query,
        readerType: type,
        readerId: r.conn.id,
        version: this.#version,
      }),
    };
  }

  readerAdded(p: RuntimePath, r: PathReader): void {
    this.#start(
      `read:${r.conn.id}`,
      "runOnRead",
      p.conf.runOnRead,
      p.conf.runOnReadRestart,
      this.#readerVars(p, r),
    );
  }

  readerRemoved(p: RuntimePath, r: PathReader): void {
    this.#stop(`read:${r.conn.id}`);
    this.#fire("runOnUnread", p.conf.runOnUnread, this.#readerVars(p, r));
  }

  connOpened(c: Conn): void {
    if (!CONNECT_KINDS.has(c.kind)) return;
    const g = this.#conf().global;
    const vars = connHookVars({ connType: c.kind, connId: c.id, rtspPort: this.#rtspPort() });
    this.#start(`conn:${c.id}`, "runOnConnect", g.runOnConnect, g.runOnConnectRestart, vars);
  }

  connClosed(c: Conn): void {
    if (!CONNECT_KINDS.has(c.kind)) return;
    this.#stop(`conn:${c.id}`);
    const vars = connHookVars({ connType: c.kind, connId: c.id, rtspPort: this.#rtspPort() });
    this.#fire("runOnDisconnect", this.#conf().global.runOnDisconnect, vars);
  }

  /** A recording segment file was created (first part flushed). */
  segmentCreated(p: RuntimePath, file: string): void {
    this.#fire("runOnRecordSegmentCreate", p.conf.runOnRecordSegmentCreate, {
      ...this.#pathVars(p),
      ...segmentHookVars({ segmentPath: file }),
    });
  }

  /** A recording segment was finalised. */
  segmentCompleted(p: RuntimePath, file: string, durationSeconds: number): void {
    this.#fire("runOnRecordSegmentComplete", p.conf.runOnRecordSegmentComplete, {
      ...this.#pathVars(p),
      ...segmentHookVars({ segmentPath: file, durationSeconds }),
    });
  }

  /** Running hooks, for the control endpoint's `/state`. */
  running(): Array<{ key: string; hook: string; pid: number | undefined }> {
    return [...this.#running].flatMap(([key, e]) => e.hooks.map((h) => ({ key, hook: e.name, pid: h.pid })));
  }

  /** Shutdown: SIGINT to running hooks (SIGKILL after a grace period), wait for closing hooks. */
  async stop(): Promise<void> {
    const all = [...this.#running.values()].flatMap((e) => e.hooks);
    this.#running.clear();
    await Promise.all(all.map((h) => h.stop({ killAfterMs: SHUTDOWN_KILL_AFTER_MS })));
    // Closing hooks are waited for, not signalled (MediaMTX); a bounded wait keeps tests finite.
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, SHUTDOWN_KILL_AFTER_MS);
    });
    await Promise.race([Promise.all(this.#closing.values()), grace]);
    clearTimeout(timer);
    await Promise.all([...this.#closing.keys()].map((h) => h.stop({ killAfterMs: SHUTDOWN_KILL_AFTER_MS })));
  }
}
