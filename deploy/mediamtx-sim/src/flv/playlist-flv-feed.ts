import { type LibLogger, silentLogger } from "../media/lib-logger.ts";
import { type ProcessGroup, spawnGroup, stopGroup } from "../media/spawn-group.ts";
import { type FlvFeed, FlvHub, type FlvSink } from "./flv-hub.ts";
import { FlvParser } from "./flv-tag.ts";

const FFMPEG_KILL_AFTER_MS = 2_000;

/**
 * An FLV feed of a scenario's live HLS playlist, for RTMP readers of a path published through
 * the control endpoint: an `ffmpeg -re -i index.m3u8 -c copy -f flv pipe:1` runs while at
 * least one reader is attached (started by the first, stopped after the last).
 */
export class PlaylistFlvFeed implements FlvFeed {
  readonly #playlist: string;
  readonly #log: LibLogger;
  readonly #hasAudio: boolean;
  #hub: FlvHub | undefined;
  #ffmpeg: ProcessGroup | undefined;
  #readers = 0;

  constructor(options: { playlist: string; hasAudio: boolean; logger?: LibLogger }) {
    this.#playlist = options.playlist;
    this.#hasAudio = options.hasAudio;
    this.#log = options.logger ?? silentLogger;
  }

  get hasVideo(): boolean {
    return true;
  }

  get hasAudio(): boolean {
    return this.#hasAudio;
  }

  subscribe(sink: FlvSink): () => void {
    const hub = this.#hub ?? this.#start();
    this.#readers++;
    const detach = hub.subscribe(sink);
    let attached = true;
    return () => {
      if (!attached) return;
      attached = false;
      detach();
      if (--this.#readers === 0) this.#stop();
    };
  }

  #start(): FlvHub {
    const hub = new FlvHub();
    this.#hub = hub;
    const args = ["-hide_banner", "-loglevel", "error", "-nostdin", "-re", "-i", this.#playlist];
    args.push("-c", "copy", "-f", "flv", "pipe:1");
    const ffmpeg = spawnGroup("ffmpeg", args, { logger: this.#log, pipes: { stdout: true } });
    this.#ffmpeg = ffmpeg;
    const parser = new FlvParser();
    ffmpeg.stdout?.on("data", (chunk: Buffer) => {
      try {
        for (const tag of parser.push(chunk)) hub.push(tag);
      } catch (e) {
        this.#log.warn({ err: String(e) }, "bad FLV from the playlist remuxer");
      }
    });
    void ffmpeg.exited.then(() => {
      hub.end();
      if (this.#hub === hub) {
        this.#hub = undefined;
        this.#ffmpeg = undefined;
      }
    });
    return hub;
  }

  #stop(): void {
    const ffmpeg = this.#ffmpeg;
    this.#hub?.end();
    this.#hub = undefined;
    this.#ffmpeg = undefined;
    if (ffmpeg !== undefined) void stopGroup(ffmpeg, { killAfterMs: FFMPEG_KILL_AFTER_MS });
  }

  /** The publisher left: readers get the end of the stream. */
  close(): void {
    this.#stop();
  }
}
