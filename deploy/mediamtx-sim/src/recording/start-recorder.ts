import { mkdir, rm } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import type { FlvFeed } from "../flv/flv-hub.ts";
import { type LibLogger, silentLogger } from "../media/lib-logger.ts";
import type { Scenario } from "../media/scenario.ts";
import { scenarioHasMedia } from "../media/scenario.ts";
import { scenarioEncodeArgs, scenarioInputArgs } from "../media/scenario-args.ts";
import { type ProcessGroup, spawnGroup, stopGroup } from "../media/spawn-group.ts";
import { announceSegmentCreate } from "./announce-segment-create.ts";
import { startFeedRecorder } from "./record-feed.ts";
import { formatRecordPath, type RecordFormat } from "./record-path.ts";
import { muxerArgs, segmentDuration } from "./segment-tools.ts";

/** MediaMTX restarts its recorder (new span) when stream and wall clock drift this far apart. */
const MAX_DRIFT_MICROS = 5_000_000;
const FFMPEG_KILL_AFTER_MS = 5_000;

/** A running recorder of one path. */
export interface Recorder extends AsyncDisposable {
  /** The segment being written, as MediaMTX names it (`MTX_SEGMENT_PATH`). */
  readonly currentFile: string | undefined;
  /** Finalises the current segment (its complete callback fires) and stops; idempotent. */
  stop(): Promise<void>;
}

export interface StartRecorderOptions {
  readonly pathName: string;
  readonly recordPath: string;
  readonly format: RecordFormat;
  readonly segmentDurationMs: number;
  readonly partDurationMs: number;
  /** MediaMTX's working directory: a relative recordPath starts there. */
  readonly cwd: string;
  readonly scenario: Scenario;
  /** A real publisher's stream: recorded from it (remux) instead of encoding the scenario. */
  readonly feed?: FlvFeed;
  /** The first part of a segment reached the disk (`runOnRecordSegmentCreate`). */
  onSegmentCreate(file: string): void;
  /** A segment was closed (`runOnRecordSegmentComplete`), with its real duration. */
  onSegmentComplete(file: string, durationSeconds: number): void;
  readonly tz?: string;
  readonly ffmpegPath?: string;
  readonly logger?: LibLogger;
}

const nowMicros = () => Math.round((performance.timeOrigin + performance.now()) * 1000);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Records the scenario's media like MediaMTX's recorder: one file per segment, named after
 * the time of its first sample in the local zone, each segment starting where the previous
 * one ended. Each segment is a separate ffmpeg run from the scenario's lavfi input.
 * `stalled` and `synthetic` have no media, so nothing is recorded.
 */
export function startRecorder(opts: StartRecorderOptions): Recorder {
  const feed = opts.feed;
  if (feed !== undefined) return startFeedRecorder({ ...opts, feed });
  const logger = opts.logger ?? silentLogger;
  let stopped = false;
  let ffmpeg: ProcessGroup | undefined;
  let currentFile: string | undefined;

  const recordSegment = async (startMicros: number): Promise<number> => {
    const tz = opts.tz === undefined ? {} : { tz: opts.tz };
    const file = formatRecordPath(opts.recordPath, opts.pathName, startMicros, {
      ...tz,
      format: opts.format,
    });
    const absolute = resolve(opts.cwd, file);
    await mkdir(dirname(absolute), { recursive: true });
    const args = ["-hide_banner", "-loglevel", "error", "-nostdin", ...scenarioInputArgs(opts.scenario)];
    args.push(...scenarioEncodeArgs(opts.scenario), "-t", String(opts.segmentDurationMs / 1000));
    args.push(...muxerArgs(opts.format, opts.partDurationMs), "-y", absolute);
    const group = spawnGroup(opts.ffmpegPath ?? "ffmpeg", args, {
      logger,
      logFields: { path: opts.pathName, file },
    });
    ffmpeg = group;
    currentFile = file;
    if (stopped) group.signalGroup("SIGINT"); // stop() ran while this segment was being set up
    const announce = announceSegmentCreate(absolute, group.exited, opts.partDurationMs, () =>
      opts.onSegmentCreate(file),
    );
    const exit = await group.exited;
    const created = await announce;
    const spawnError = group.spawnError();
    if (spawnError !== undefined || (exit.code !== 0 && exit.code !== 255 && exit.signal === null)) {
      logger.error(
        { path: opts.pathName, file, code: exit.code, err: spawnError?.message },
        "recorder ffmpeg failed",
      );
    }
    ffmpeg = undefined;
    currentFile = undefined;
    const duration = await segmentDuration(absolute, opts.format).catch(() => 0);
    if (duration <= 0) {
      // Stopped before the first part reached the disk: MediaMTX leaves no file behind.
      await rm(absolute, { force: true });
      return 0;
    }
    if (!created) opts.onSegmentCreate(file);
    opts.onSegmentComplete(file, duration);
    return duration;
  };

  const loop = (async () => {
    if (!scenarioHasMedia(opts.scenario)) return;
    let next = nowMicros();
    while (!stopped) {
      const duration = await recordSegment(next).catch((e: unknown) => {
        logger.error({ path: opts.pathName, err: String(e) }, "recorder failed");
        return 0;
      });
      if (duration <= 0) {
        if (!stopped) await sleep(2_000); // MediaMTX restarts a failed recorder after 2 s
        next = nowMicros();
        continue;
      }
      next += Math.round(duration * 1e6);
      if (Math.abs(nowMicros() - next) > MAX_DRIFT_MICROS) next = nowMicros();
    }
  })();

  const stop = async () => {
    stopped = true;
    const group = ffmpeg;
    if (group !== undefined) await stopGroup(group, { killAfterMs: FFMPEG_KILL_AFTER_MS });
    await loop;
  };
  return {
    get currentFile() {
      return currentFile;
    },
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
