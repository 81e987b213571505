import { isDeepStrictEqual } from "node:util";
import type { Conf } from "../config/conf.ts";
import type { Logger } from "../log/create-logger.ts";
import type { MtxVersion } from "../spec/mtx-version.ts";
import { restartsPathManager } from "./conf-diff.ts";
import type { ConnKind } from "./conn.ts";
import { ConnRegistry } from "./conn-registry.ts";
import { HlsMuxerRegistry } from "./hls-muxers.ts";
import type { MediaFactory } from "./media-handle.ts";
import { PathManager } from "./path-manager.ts";

/** How long after a 200 an API config write becomes live (trap 2). */
export const DEFAULT_APPLY_DELAY_MS = 15;

const PROTOCOL_KINDS: ReadonlyArray<readonly [RegExp, readonly ConnKind[]]> = [
  [
    /^(rtsp|rtspTransports|rtspsAddress|rtspAuthMethods|rtspServer|rtspTrustedProxies|rtpAddress|rtcpAddress|multicast|protocols|serverKey|serverCert)/,
    ["rtspConn", "rtspsConn", "rtspSession", "rtspsSession"],
  ],
  [/^rtmp/, ["rtmpConn", "rtmpsConn"]],
  [/^srt/, ["srtConn"]],
  [/^webrtc/, ["webRTCSession"]],
  [/^hls/, ["hlsSession"]],
  [/^moq/, ["moqSession"]],
  [
    /^runOn(Connect|ConnectRestart|Disconnect)$/,
    ["rtspConn", "rtspsConn", "rtspSession", "rtspsSession", "rtmpConn", "rtmpsConn", "srtConn"],
  ],
];

/** Called after a config became live; may rebind servers (throws → MediaMTX exits 0, trap 3). */
export type ConfAppliedHook = (previous: Conf, next: Conf) => Promise<void>;

/**
 * The MediaMTX core: live config, the serialised queue of API writes (applied shortly after
 * the 200 reply), file reloads, restart, and the path manager.
 */
export class SimCore {
  readonly version: MtxVersion;
  readonly registry = new ConnRegistry();
  readonly hlsMuxers = new HlsMuxerRegistry();
  readonly paths: PathManager;
  startedMs = Date.now();
  #live: Conf;
  #pending: Conf;
  #base: Conf;
  #chain: Promise<void> = Promise.resolve();
  readonly #applyDelayMs: number;
  readonly #log: Logger;
  onApplied: ConfAppliedHook = async () => {};

  constructor(options: { conf: Conf; media: MediaFactory; log: Logger; applyDelayMs?: number }) {
    this.version = options.conf.version;
    this.#live = options.conf;
    this.#pending = options.conf;
    this.#base = options.conf;
    this.#applyDelayMs = options.applyDelayMs ?? DEFAULT_APPLY_DELAY_MS;
    this.#log = options.log;
    this.paths = new PathManager({
      conf: options.conf,
      registry: this.registry,
      media: options.media,
      log: options.log,
    });
  }

  /** The config the core runs with (what v1.20.1 GETs show). */
  get liveConf(): Conf {
    return this.#live;
  }

  /** The config including accepted-but-not-yet-applied writes (what the next write builds on). */
  get pendingConf(): Conf {
    return this.#pending;
  }

  /** Validates a write synchronously (throws ConfError) and applies it a few ms later. */
  mutate(change: (conf: Conf) => Conf): void {
    const next = change(this.#pending);
    this.#pending = next;
    void this.#enqueue(next, this.#applyDelayMs);
  }

  #enqueue(next: Conf, delayMs: number): Promise<void> {
    // Each write is applied `delayMs` after its own reply, not after the previous apply.
    const dueMs = Date.now() + delayMs;
    this.#chain = this.#chain.then(async () => {
      const waitMs = dueMs - Date.now();
      if (waitMs > 0) await new Promise((r) => setTimeout(r, waitMs));
      await this.#apply(next).catch((e: unknown) =>
        this.#log.error({ err: String(e) }, "applying config failed"),
      );
    });
    return this.#chain;
  }

  async #apply(next: Conf): Promise<void> {
    const previous = this.#live;
    this.#live = next;
    const changed = Object.keys(next.global).filter(
      (k) => !isDeepStrictEqual(previous.global[k], next.global[k]),
    );
    const closeAll = changed.some(restartsPathManager);
    if (!closeAll) {
      const kinds = new Set<ConnKind>();
      for (const key of changed)
        for (const [re, ks] of PROTOCOL_KINDS) if (re.test(key)) for (const k of ks) kinds.add(k);
      if (kinds.size > 0) this.paths.dropKinds([...kinds]);
    }
    this.paths.reconcile(next, closeAll);
    if (changed.length > 0) this.#log.info({ keys: changed }, "global configuration changed");
    await this.onApplied(previous, next);
  }

  /** A file reload: the whole file replaces the config, discarding every API write (trap 1). */
  reloadFromFile(conf: Conf): Promise<void> {
    this.#base = conf;
    this.#pending = conf;
    return this.#enqueue(conf, 0);
  }

  /** A MediaMTX restart: config back to the file, every path closed, new `started`. */
  async restart(): Promise<void> {
    await this.#chain;
    const previous = this.#live;
    this.paths.closeAll({ recreate: false });
    this.registry.clear();
    this.#live = this.#base;
    this.#pending = this.#base;
    this.startedMs = Date.now();
    this.paths.reconcile(this.#base, false);
    this.paths.start();
    await this.onApplied(previous, this.#base);
  }

  /** Waits for queued writes. */
  async settled(): Promise<void> {
    await this.#chain;
  }
}
