import { GoDuration } from "../config/go-duration.ts";
import type { PathConf } from "../config/merged-path-conf.ts";
import type { Logger } from "../log/create-logger.ts";
import { type Recorder, startRecorder } from "../recording/index.ts";
import type { HookListener } from "./hook-listener.ts";
import type { PathListener } from "./path-listener.ts";
import type { RuntimePath } from "./runtime-path.ts";

/** Starts/stops the recorder of each available path with `record: yes` (recording lib). */
export class RecorderListener implements PathListener {
  readonly #recorders = new Map<string, Recorder>();
  readonly #stopping = new Set<Promise<void>>();
  readonly #cwd: string;
  readonly #hooks: HookListener;
  readonly #log: Logger;

  constructor(options: { cwd: string; hooks: HookListener; log: Logger }) {
    this.#cwd = options.cwd;
    this.#hooks = options.hooks;
    this.#log = options.log;
  }

  #start(p: RuntimePath): void {
    if (p.conf.record !== true || p.source?.media === undefined || this.#recorders.has(p.name)) return;
    const conf = p.conf;
    const feed = p.source.media.feed?.();
    const recorder = startRecorder({
      pathName: p.name,
      recordPath: String(conf.recordPath),
      format: conf.recordFormat === "mpegts" ? "mpegts" : "fmp4",
      segmentDurationMs: GoDuration.toMs(conf.recordSegmentDuration),
      partDurationMs: GoDuration.toMs(conf.recordPartDuration),
      cwd: this.#cwd,
      scenario: p.source.scenario,
      ...(p.source.media.recordsFeed === true && feed !== undefined ? { feed } : {}),
      onSegmentCreate: (file) => this.#hooks.segmentCreated(p, file),
      onSegmentComplete: (file, seconds) => this.#hooks.segmentCompleted(p, file, seconds),
      logger: this.#log.child({ path: p.name }),
    });
    this.#recorders.set(p.name, recorder);
  }

  #stop(p: RuntimePath): void {
    const r = this.#recorders.get(p.name);
    if (r === undefined) return;
    this.#recorders.delete(p.name);
    const done = r.stop().catch((e: unknown) => this.#log.warn({ err: String(e) }, "recorder stop failed"));
    this.#stopping.add(done);
    void done.finally(() => this.#stopping.delete(done));
  }

  sourceReady(p: RuntimePath): void {
    this.#start(p);
  }

  sourceNotReady(p: RuntimePath): void {
    this.#stop(p);
  }

  pathClosed(p: RuntimePath): void {
    this.#stop(p);
  }

  recordConfChanged(p: RuntimePath, _previous: PathConf): void {
    this.#stop(p);
    if (p.available) this.#start(p);
  }

  /** Shutdown: finalise every segment. */
  async stop(): Promise<void> {
    for (const name of [...this.#recorders.keys()]) {
      const r = this.#recorders.get(name);
      this.#recorders.delete(name);
      if (r !== undefined) this.#stopping.add(r.stop().catch(() => {}));
    }
    await Promise.all([...this.#stopping]);
  }
}
