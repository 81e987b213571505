import { mkdir, readFile, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { MtxError } from "@mtx-fleet/plugin-api";
import { type LibLogger, silentLogger } from "./lib-logger.ts";
import { type Scenario, scenarioHasMedia } from "./scenario.ts";
import { scenarioEncodeArgs, scenarioInputArgs } from "./scenario-args.ts";
import { scenarioTracks, type Track2 } from "./scenario-tracks.ts";
import { type ProcessGroup, spawnGroup, stopGroup } from "./spawn-group.ts";

export const DEFAULT_SYNTHETIC_BYTES_PER_SECOND = 250_000;
export const DEFAULT_MEDIA_START_TIMEOUT_MS = 20_000;
const POLL_INTERVAL_MS = 250;
const FFMPEG_KILL_AFTER_MS = 3_000;
export const PLAYLIST_NAME = "index.m3u8";

/** A simulated publisher's media: ffmpeg writing HLS, or a synthetic byte counter. */
export interface MediaSource extends AsyncDisposable {
  readonly scenario: Scenario;
  readonly tracks2: readonly Track2[];
  readonly tracks: readonly string[];
  /** pid of the running ffmpeg (undefined for stalled/synthetic or once stopped). */
  readonly pid: number | undefined;
  /** `<hlsRoot>/<path>`: playlist and segments. */
  readonly hlsDir: string;
  /** Bytes produced so far: HLS segment bytes written, plus synthetic rate × time. */
  inboundBytes(): number;
  switchScenario(s: Scenario): Promise<void>;
  /** Kills ffmpeg's process group and removes `hlsDir`; idempotent. */
  stop(): Promise<void>;
}

export interface StartMediaSourceOptions {
  readonly path: string;
  readonly scenario: Scenario;
  readonly hlsRoot: string;
  readonly signal?: AbortSignal;
  readonly syntheticBytesPerSecond?: number;
  readonly ffmpegPath?: string;
  readonly startTimeoutMs?: number;
  readonly logger?: LibLogger;
}

/** ffmpeg muxer arguments for a live HLS playlist that survives ffmpeg restarts. */
export function hlsOutputArgs(): string[] {
  const flags = "delete_segments+independent_segments+omit_endlist+append_list";
  return ["-f", "hls", "-hls_time", "1", "-hls_list_size", "6", "-hls_flags", flags];
}

function segmentNumbers(playlist: string): number[] {
  const out: number[] = [];
  for (const m of playlist.matchAll(/^index(\d+)\.ts$/gm)) out.push(Number(m[1]));
  return out;
}

/**
 * Starts the media of a published path. Resolves once the playlist and its first segment
 * exist (so ffprobe can read at once); `stalled` and `synthetic` resolve immediately.
 */
export async function startMediaSource(opts: StartMediaSourceOptions): Promise<MediaSource> {
  const source = new HlsMediaSource(opts);
  try {
    await source.switchScenario(opts.scenario);
  } catch (e) {
    await source.stop();
    throw e;
  }
  return source;
}

class HlsMediaSource implements MediaSource {
  readonly hlsDir: string;
  #scenario: Scenario;
  #ffmpeg: ProcessGroup | undefined;
  #countedBytes = 0;
  #lastCounted = -1;
  #syntheticSince: number | undefined;
  #syntheticBytes = 0;
  #poll: NodeJS.Timeout | undefined;
  #stopped = false;
  readonly #opts: StartMediaSourceOptions;
  readonly #logger: LibLogger;

  constructor(opts: StartMediaSourceOptions) {
    this.#opts = opts;
    this.#scenario = opts.scenario;
    this.#logger = opts.logger ?? silentLogger;
    this.hlsDir = join(opts.hlsRoot, ...opts.path.split("/"));
  }

  get scenario(): Scenario {
    return this.#scenario;
  }
  get tracks2(): readonly Track2[] {
    return scenarioTracks(this.#scenario).tracks2;
  }
  get tracks(): readonly string[] {
    return scenarioTracks(this.#scenario).tracks;
  }
  get pid(): number | undefined {
    return this.#ffmpeg?.pid;
  }

  inboundBytes(): number {
    const synthetic =
      this.#syntheticSince === undefined ? 0 : ((Date.now() - this.#syntheticSince) / 1000) * this.#rate();
    return this.#countedBytes + Math.floor(this.#syntheticBytes + synthetic);
  }

  async switchScenario(s: Scenario): Promise<void> {
    if (this.#stopped)
      throw new MtxError("MTX_INVALID_INPUT", `media of path '${this.#opts.path}' is stopped`);
    await this.#halt();
    this.#scenario = s;
    if (s === "synthetic") this.#syntheticSince = Date.now();
    if (!scenarioHasMedia(s)) return;
    await mkdir(this.hlsDir, { recursive: true });
    const args = ["-hide_banner", "-loglevel", "error", "-nostdin", ...scenarioInputArgs(s)];
    args.push(...scenarioEncodeArgs(s), ...hlsOutputArgs());
    args.push("-hls_segment_filename", join(this.hlsDir, "index%d.ts"), join(this.hlsDir, PLAYLIST_NAME));
    const ffmpeg = spawnGroup(this.#opts.ffmpegPath ?? "ffmpeg", args, {
      logger: this.#logger,
      logFields: { path: this.#opts.path, scenario: s },
    });
    this.#ffmpeg = ffmpeg;
    this.#poll = setInterval(() => void this.#count(), POLL_INTERVAL_MS);
    this.#poll.unref();
    await this.#waitFirstSegment(ffmpeg);
  }

  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    await this.#halt();
    await rm(this.hlsDir, { recursive: true, force: true });
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  #rate(): number {
    return this.#opts.syntheticBytesPerSecond ?? DEFAULT_SYNTHETIC_BYTES_PER_SECOND;
  }

  /** Stops whatever produces bytes now, keeping the counters and the playlist. */
  async #halt(): Promise<void> {
    if (this.#syntheticSince !== undefined) {
      this.#syntheticBytes += ((Date.now() - this.#syntheticSince) / 1000) * this.#rate();
      this.#syntheticSince = undefined;
    }
    clearInterval(this.#poll);
    this.#poll = undefined;
    const ffmpeg = this.#ffmpeg;
    if (ffmpeg === undefined) return;
    await stopGroup(ffmpeg, { killAfterMs: FFMPEG_KILL_AFTER_MS });
    this.#ffmpeg = undefined;
    await this.#count();
  }

  /** Adds the sizes of segments that appeared in the playlist since the last call. */
  async #count(): Promise<void> {
    const playlist = await readFile(join(this.hlsDir, PLAYLIST_NAME), "utf8").catch(() => "");
    for (const n of segmentNumbers(playlist)) {
      if (n <= this.#lastCounted) continue;
      const size = await stat(join(this.hlsDir, `index${n}.ts`)).then(
        (st) => st.size,
        () => 0,
      );
      if (n <= this.#lastCounted) continue; // a concurrent call counted it meanwhile
      this.#lastCounted = n;
      this.#countedBytes += size;
    }
  }

  async #waitFirstSegment(ffmpeg: ProcessGroup): Promise<void> {
    const timeoutMs = this.#opts.startTimeoutMs ?? DEFAULT_MEDIA_START_TIMEOUT_MS;
    const deadline = Date.now() + timeoutMs;
    let exited = false;
    void ffmpeg.exited.then(() => {
      exited = true;
    });
    for (;;) {
      this.#opts.signal?.throwIfAborted();
      const playlist = await readFile(join(this.hlsDir, PLAYLIST_NAME), "utf8").catch(() => "");
      if (segmentNumbers(playlist).length > 0) return;
      const error = ffmpeg.spawnError();
      if (exited || error !== undefined) {
        throw new MtxError(
          "MTX_INTERNAL",
          `ffmpeg for path '${this.#opts.path}' exited before the first segment`,
          {
            cause: error,
          },
        );
      }
      if (Date.now() > deadline) {
        throw new MtxError(
          "MTX_INTERNAL",
          `no HLS segment for path '${this.#opts.path}' within ${timeoutMs} ms`,
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
