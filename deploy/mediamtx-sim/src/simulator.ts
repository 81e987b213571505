import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ApiServer } from "./api/api-server.ts";
import { configRoutes } from "./api/config-routes.ts";
import { connRoutes } from "./api/conn-routes.ts";
import { playbackFront } from "./api/playback-front.ts";
import { recordConfigs, recordingRoutes } from "./api/recording-routes.ts";
import type { ResponseObserver } from "./api/response-observer.ts";
import type { Route } from "./api/route.ts";
import { runtimeRoutes } from "./api/runtime-routes.ts";
import type { Conf } from "./config/conf.ts";
import { ConfBuilder } from "./config/conf-builder.ts";
import { ConfWatcher } from "./config/conf-watcher.ts";
import { controlHandler } from "./control/control-server.ts";
import { FaultStore } from "./control/fault-store.ts";
import { HlsServer } from "./hls/hls-server.ts";
import type { Logger } from "./log/create-logger.ts";
import { createHlsHandler } from "./media/index.ts";
import { metricsHandler } from "./metrics/metrics-handler.ts";
import { createPlaybackHandler } from "./playback/index.ts";
import { RtmpServer } from "./rtmp/rtmp-server.ts";
import { RtspServer } from "./rtsp/rtsp-server.ts";
import { HookListener } from "./runtime/hook-listener.ts";
import type { MediaFactory } from "./runtime/media-handle.ts";
import { realMediaFactory } from "./runtime/real-media.ts";
import { RecordCleaner } from "./runtime/record-cleaner.ts";
import { RecorderListener } from "./runtime/recorder-listener.ts";
import { SimCore } from "./runtime/sim-core.ts";
import { ServerSlot } from "./server-slot.ts";
import type { SimulatorOptions } from "./simulator-options.ts";
import { isModern } from "./spec/mtx-version.ts";
import { type HttpListener, listenHttp } from "./util/http-listener.ts";
import { ResponseValidator } from "./validate/response-validator.ts";

/** The JSON line printed on stdout once everything listens. */
export interface ReadyLine {
  readonly msg: "ready";
  readonly pid: number;
  readonly version: string;
  readonly api: string | null;
  readonly metrics: string | null;
  readonly playback: string | null;
  readonly hls: string | null;
  /** `rtmp://127.0.0.1:PORT` (publish with `ffmpeg ... -f flv <rtmp>/<path>`), null when disabled. */
  readonly rtmp: string | null;
  /** `rtsp://127.0.0.1:PORT` (read/publish over TCP at `<rtsp>/<path>`), null when disabled. */
  readonly rtsp: string | null;
  readonly control: string;
  readonly workDir: string;
  readonly demo?: readonly string[];
}

/** Why the simulator must exit, with MediaMTX's exit code. */
export type FatalHandler = (code: number, reason: string) => void;

const DEMO_PATHS = [
  ["demo/testsrc", "testsrc"],
  ["demo/black", "black"],
  ["demo/frozen", "frozen"],
  ["demo/lowfps", "lowfps"],
  ["demo/silent", "silent"],
  ["demo/noaudio", "noaudio"],
  ["demo/stalled", "stalled"],
] as const;

/** A running MediaMTX simulator: core, servers, control endpoint and file watcher. */
export class Simulator {
  readonly core: SimCore;
  readonly validator: ResponseValidator | undefined;
  readonly #options: SimulatorOptions;
  readonly #log: Logger;
  readonly #fatal: FatalHandler;
  readonly #faults = new FaultStore();
  readonly #api: ServerSlot;
  readonly #metrics: ServerSlot;
  readonly #playback: ServerSlot;
  readonly #hls: ServerSlot;
  readonly #rtmp: RtmpServer;
  readonly #rtsp: RtspServer;
  readonly #hlsServer: HlsServer;
  readonly #hooks: HookListener;
  readonly #recorders: RecorderListener;
  readonly #cleaner: RecordCleaner;
  #control: HttpListener | undefined;
  #watcher: ConfWatcher | undefined;
  #demoPaths: string[] = [];

  private constructor(options: SimulatorOptions, conf: Conf, log: Logger, fatal: FatalHandler) {
    this.#options = options;
    this.#log = log;
    this.#fatal = fatal;
    const hlsRoot = join(options.workDir, ".mediamtx-sim", "hls");
    const media: MediaFactory = realMediaFactory(hlsRoot, log.child({ component: "media" }));
    const coreOptions = { conf, media, log: log.child({ component: "core" }) };
    this.core = new SimCore(
      options.applyDelayMs === undefined
        ? coreOptions
        : { ...coreOptions, applyDelayMs: options.applyDelayMs },
    );
    this.validator = options.validateResponses ? new ResponseValidator(conf.version, log) : undefined;
    const observe: ResponseObserver | undefined = this.validator?.observe;
    const routes: Route[] = [
      ...runtimeRoutes(this.core),
      ...configRoutes(this.core),
      ...connRoutes(this.core),
      ...recordingRoutes(this.core, options.workDir),
    ];
    const api = new ApiServer({
      core: this.core,
      routes,
      faults: this.#faults,
      log: log.child({ component: "api" }),
      ...(observe === undefined ? {} : { observe }),
    });
    this.#api = new ServerSlot(api.handler);
    this.#metrics = new ServerSlot(metricsHandler(this.core));
    const playback = createPlaybackHandler({
      cwd: options.workDir,
      getConfigs: () => recordConfigs(this.core.liveConf),
      logger: log.child({ component: "playback" }),
    });
    this.#playback = new ServerSlot(playbackFront(this.core, playback, observe));
    this.#hlsServer = new HlsServer({
      core: this.core,
      hlsRoot,
      log: log.child({ component: "hls" }),
      ...(options.hlsSessionCloseAfterMs === undefined
        ? {}
        : { sessionCloseAfterMs: options.hlsSessionCloseAfterMs }),
    });
    // HLS sessions exist since v1.18.0; the v1.9.3 mimic serves the files without them.
    this.#hls = new ServerSlot(isModern(conf.version) ? this.#hlsServer.handler : createHlsHandler(hlsRoot));
    this.#rtmp = new RtmpServer({ core: this.core, hlsRoot, log: log.child({ component: "rtmp" }) });
    this.#rtsp = new RtspServer({ core: this.core, hlsRoot, log: log.child({ component: "rtsp" }) });
    this.#hooks = new HookListener({
      version: conf.version,
      conf: () => this.core.liveConf,
      cwd: options.workDir,
      log: log.child({ component: "hooks" }),
    });
    this.core.paths.addListener(this.#hooks);
    this.#recorders = new RecorderListener({
      cwd: options.workDir,
      hooks: this.#hooks,
      log: log.child({ component: "recorder" }),
    });
    this.core.paths.addListener(this.#recorders);
    this.core.paths.addListener(this.#hlsServer);
    this.#cleaner = new RecordCleaner({
      cwd: options.workDir,
      conf: () => this.core.liveConf,
      log: log.child({ component: "cleaner" }),
    });
    this.core.onApplied = async (_prev, next) => {
      try {
        await this.#syncServers(next);
      } catch (e) {
        // Trap 3: a component failing to restart after a valid change shuts MediaMTX down with 0.
        this.#fatal(0, (e as Error).message);
      }
    };
  }

  /** Loads the config (exit 1 on a bad file, like MediaMTX) and starts everything. */
  static async start(options: SimulatorOptions, log: Logger, fatal: FatalHandler): Promise<Simulator> {
    const conf =
      options.configPath === undefined
        ? ConfBuilder.defaults(options.version, { sim: true })
        : ConfBuilder.fromYaml(readFileSync(options.configPath, "utf8"), options.version, process.env);
    const sim = new Simulator(options, conf, log, fatal);
    await sim.#start();
    return sim;
  }

  async #start(): Promise<void> {
    this.core.paths.start();
    await this.#syncServers(this.core.liveConf);
    this.#control = await listenHttp(
      this.#options.controlAddress,
      controlHandler({
        core: this.core,
        faults: this.#faults,
        log: this.#log.child({ component: "control" }),
        violations: () => this.validator?.violations() ?? [],
        undocumented: () => this.validator?.undocumented() ?? [],
        hooksRunning: () => this.#hooks.running(),
        restart: () => this.core.restart(),
      }),
    );
    if (this.#options.configPath !== undefined) {
      const file = this.#options.configPath;
      this.#watcher = new ConfWatcher(file, () => this.#reload(file));
    }
    this.#startScale();
    this.#startDemo();
  }

  #reload(file: string): void {
    let conf: Conf;
    try {
      conf = ConfBuilder.fromYaml(readFileSync(file, "utf8"), this.#options.version, process.env);
    } catch (e) {
      this.#fatal(0, `ERR: ${(e as Error).message}`);
      return;
    }
    this.#log.info({ file }, "reloading configuration (file changed)");
    void this.core.reloadFromFile(conf);
  }

  #startScale(): void {
    for (let i = 0; i < this.#options.scale; i++) {
      const name = `scale/${String(i).padStart(5, "0")}`;
      try {
        this.core.paths.publish(name, { scenario: "synthetic", autoReconnect: true });
      } catch (e) {
        this.#log.error({ path: name, err: (e as Error).message }, "scale path cannot be published");
        return;
      }
    }
  }

  #startDemo(): void {
    if (!this.#options.demo) return;
    for (const [name, scenario] of DEMO_PATHS) {
      try {
        this.core.paths.publish(name, { scenario, autoReconnect: true });
        this.#demoPaths.push(name);
      } catch (e) {
        this.#log.error({ path: name, err: (e as Error).message }, "demo path cannot be published");
      }
    }
  }

  async #syncServers(conf: Conf): Promise<void> {
    this.#cleaner.sync();
    const g = conf.global;
    await this.#api.sync(g.api === true, String(g.apiAddress));
    await this.#metrics.sync(g.metrics === true, String(g.metricsAddress));
    await this.#playback.sync(g.playback === true, String(g.playbackAddress));
    await this.#hls.sync(g.hls === true, String(g.hlsAddress));
    // RTMPS (rtmpEncryption optional/strict) is not simulated; plain RTMP listens unless strict.
    await this.#rtmp.sync(g.rtmp === true && g.rtmpEncryption !== "strict", String(g.rtmpAddress));
    // RTSPS is not simulated either; plain RTSP listens unless rtspEncryption is strict.
    const rtspEncryption = g.rtspEncryption ?? g.encryption;
    await this.#rtsp.sync(
      g.rtsp === true && rtspEncryption !== "strict",
      this.#options.rtspListenAddress ?? String(g.rtspAddress),
    );
  }

  readyLine(): ReadyLine {
    const line: ReadyLine = {
      msg: "ready",
      pid: process.pid,
      version: isModern(this.core.version) ? "v1.20.1" : this.core.version,
      api: this.#api.url,
      metrics: this.#metrics.url,
      playback: this.#playback.url,
      hls: this.#hls.url,
      rtmp: this.#rtmp.url,
      rtsp: this.#rtsp.url,
      control: this.#control?.url ?? "",
      workDir: this.#options.workDir,
    };
    return this.#options.demo ? { ...line, demo: this.#demoPaths } : line;
  }

  /** Clean shutdown: closes paths (media, hooks), servers and the watcher. */
  async stop(): Promise<void> {
    this.#watcher?.close();
    this.#cleaner.stop();
    this.core.paths.closeAll({ recreate: false });
    await this.core.paths.drain();
    await this.#recorders.stop();
    await this.#hooks.stop();
    this.#hlsServer.stop();
    await Promise.all([
      this.#api.close(),
      this.#metrics.close(),
      this.#playback.close(),
      this.#hls.close(),
      this.#rtmp.close(),
      this.#rtsp.close(),
    ]);
    await this.#control?.close();
  }
}
