import { mkdirSync } from "node:fs";
import { rm } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import type { Writable } from "node:stream";
import type { FlvFeed } from "../flv/flv-hub.ts";
import {
  encodeFlvHeader,
  encodeFlvTag,
  FLV_SCRIPT,
  type FlvTag,
  isAudioConfig,
  isVideoConfig,
  isVideoKeyframe,
} from "../flv/flv-tag.ts";
import { type LibLogger, silentLogger } from "../media/lib-logger.ts";
import { type ProcessGroup, spawnGroup, stopGroup } from "../media/spawn-group.ts";
import { announceSegmentCreate } from "./announce-segment-create.ts";
import { formatRecordPath, type RecordFormat } from "./record-path.ts";
import { muxerArgs, segmentDuration } from "./segment-tools.ts";
import type { Recorder, StartRecorderOptions } from "./start-recorder.ts";

const MAX_DRIFT_MICROS = 5_000_000;
const FFMPEG_KILL_AFTER_MS = 5_000;
const nowMicros = () => Math.round((performance.timeOrigin + performance.now()) * 1000);

interface Segment {
  readonly file: string;
  readonly ffmpeg: ProcessGroup;
  readonly stdin: Writable;
  readonly firstTs: number;
  readonly done: Promise<void>;
}

/**
 * Records a live publisher (its FLV feed) like MediaMTX's recorder: a segment starts at a
 * video key frame once `segmentDurationMs` has elapsed, named after the time of its first
 * sample; each segment is an `ffmpeg -c copy` fed through stdin.
 */
export function startFeedRecorder(opts: StartRecorderOptions & { readonly feed: FlvFeed }): Recorder {
  const logger: LibLogger = opts.logger ?? silentLogger;
  const format: RecordFormat = opts.format;
  const headers: { meta?: FlvTag; video?: FlvTag; audio?: FlvTag } = {};
  let current: Segment | undefined;
  let base: { wallMicros: number; ts: number } | undefined;
  const finishing = new Set<Promise<void>>();
  let stopped = false;

  const startMicrosOf = (ts: number): number => {
    const now = nowMicros();
    if (base === undefined || Math.abs(base.wallMicros + (ts - base.ts) * 1000 - now) > MAX_DRIFT_MICROS) {
      base = { wallMicros: now, ts };
    }
    return base.wallMicros + (ts - base.ts) * 1000;
  };

  const open = (first: FlvTag): Segment | undefined => {
    const tz = opts.tz === undefined ? {} : { tz: opts.tz };
    const file = formatRecordPath(opts.recordPath, opts.pathName, startMicrosOf(first.timestamp), {
      ...tz,
      format,
    });
    const absolute = resolve(opts.cwd, file);
    const args = ["-hide_banner", "-loglevel", "error", "-f", "flv", "-i", "pipe:0", "-c", "copy"];
    args.push(...muxerArgs(format, opts.partDurationMs), "-y", absolute);
    mkdirSync(dirname(absolute), { recursive: true });
    const ffmpeg = spawnGroup(opts.ffmpegPath ?? "ffmpeg", args, {
      logger,
      logFields: { path: opts.pathName, file },
      pipes: { stdin: true },
    });
    const stdin = ffmpeg.stdin;
    if (stdin === null) return undefined;
    stdin.write(encodeFlvHeader({ audio: opts.feed.hasAudio, video: opts.feed.hasVideo }));
    for (const h of [headers.meta, headers.video, headers.audio])
      if (h !== undefined) stdin.write(encodeFlvTag(h));
    const done = finish(file, absolute, ffmpeg);
    return { file, ffmpeg, stdin, firstTs: first.timestamp, done };
  };

  const finish = async (file: string, absolute: string, ffmpeg: ProcessGroup): Promise<void> => {
    const announce = announceSegmentCreate(absolute, ffmpeg.exited, opts.partDurationMs, () =>
      opts.onSegmentCreate(file),
    );
    await ffmpeg.exited;
    const created = await announce;
    const duration = await segmentDuration(absolute, format).catch(() => 0);
    if (duration <= 0) {
      await rm(absolute, { force: true });
      return;
    }
    if (!created) opts.onSegmentCreate(file);
    opts.onSegmentComplete(file, duration);
  };

  const close = (seg: Segment): void => {
    seg.stdin.end(); // ffmpeg finalises the file and exits
    const timer = setTimeout(() => void stopGroup(seg.ffmpeg, { killAfterMs: FFMPEG_KILL_AFTER_MS }), 10_000);
    const done = seg.done.finally(() => clearTimeout(timer));
    finishing.add(done);
    void done.finally(() => finishing.delete(done));
  };

  const write = (seg: Segment, tag: FlvTag): void => {
    if (!seg.stdin.destroyed)
      seg.stdin.write(encodeFlvTag({ ...tag, timestamp: Math.max(0, tag.timestamp - seg.firstTs) }));
  };

  const detach = opts.feed.subscribe({
    tag(tag) {
      if (stopped) return;
      if (tag.type === FLV_SCRIPT) headers.meta = { ...tag, timestamp: 0 };
      if (isVideoConfig(tag)) headers.video = tag;
      if (isAudioConfig(tag)) headers.audio = tag;
      if (tag.type === FLV_SCRIPT || isVideoConfig(tag) || isAudioConfig(tag)) {
        if (current !== undefined && tag.type !== FLV_SCRIPT)
          write(current, { ...tag, timestamp: current.firstTs });
        return;
      }
      const boundary = opts.feed.hasVideo ? isVideoKeyframe(tag) : true;
      if (current !== undefined && boundary && tag.timestamp - current.firstTs >= opts.segmentDurationMs) {
        close(current);
        current = undefined;
      }
      if (current === undefined) {
        if (!boundary) return;
        current = open(tag);
      }
      if (current !== undefined) write(current, tag);
    },
    end() {
      if (current !== undefined) close(current);
      current = undefined;
    },
  });

  const stop = async (): Promise<void> => {
    if (!stopped) {
      stopped = true;
      detach();
      if (current !== undefined) close(current);
      current = undefined;
    }
    await Promise.all([...finishing]);
  };
  return {
    get currentFile() {
      return current?.file;
    },
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
