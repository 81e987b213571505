import type { DeepProbeMeasurement, DetectedSpan } from "./deep-probe-types.ts";

type Video = NonNullable<DeepProbeMeasurement["video"]>;
type Audio = NonNullable<DeepProbeMeasurement["audio"]>;

/** A span as the log shows it while it may still be running. */
interface OpenSpan {
  startSeconds: number;
  endSeconds: number | null;
  durationSeconds: number | null;
}

/** What one ffmpeg run printed, in measurement terms (see `FfmpegLogParser`). */
export interface FfmpegLogFacts {
  readonly video: Omit<Video, "measuredFps"> | null;
  readonly audio: Audio | null;
  /** ms since spawn when the first frame had passed the filters (ffmpeg opens its output then). */
  readonly firstFrameAtMs: number | null;
  /** Video frames that passed the sample (`frame=` of the final report). */
  readonly frames: number | null;
  /** Media time sampled (`time=` of the final report), seconds. */
  readonly sampledSeconds: number | null;
  /** Bytes demuxed from the input (verbose `Total: … bytes demuxed`). */
  readonly demuxedBytes: number | null;
  /** True once the final report was printed (the sample completed). */
  readonly finished: boolean;
  /** Where an RTSP server redirected the reader (ffmpeg follows redirects by itself). */
  readonly redirectedTo: string | null;
  readonly black: readonly DetectedSpan[];
  readonly frozen: readonly DetectedSpan[];
  readonly silent: readonly DetectedSpan[];
}

const STREAM_LINE = /^\s*Stream #0:\d+(?:\[[^\]]*\])?(?:\([^)]*\))?: (Video|Audio): ([^\s,]+)(.*)$/;
const CHANNEL_LAYOUTS: Readonly<Record<string, number>> = {
  mono: 1,
  stereo: 2,
  "2.1": 3,
  "3.0": 3,
  quad: 4,
  "4.0": 4,
  "5.0": 5,
  "5.1": 6,
  "6.1": 7,
  "7.1": 8,
};

function num(text: string | undefined): number | null {
  if (text === undefined) return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}

/** `25`, `29.97`, `1k` (tbr / fps figures in ffmpeg's stream lines). */
function rate(text: string | undefined): number | null {
  if (text === undefined) return null;
  return text.endsWith("k") ? (num(text.slice(0, -1)) ?? 0) * 1000 : num(text);
}

function parseVideo(codec: string, rest: string): Omit<Video, "measuredFps"> {
  const size = /\b(\d{1,5})x(\d{1,5})\b/.exec(rest);
  const fps = rate(/([\d.]+k?) fps\b/.exec(rest)?.[1]) ?? rate(/([\d.]+k?) tbr\b/.exec(rest)?.[1]);
  return { codec, width: num(size?.[1]), height: num(size?.[2]), declaredFps: fps };
}

function parseAudio(codec: string, rest: string): Audio {
  const parts = rest.split(",").map((p) => p.trim());
  const layout = parts.find((p) => CHANNEL_LAYOUTS[p.replace(/\(.*\)$/, "")] !== undefined);
  const counted = /(\d+) channels/.exec(rest)?.[1];
  const channels =
    layout === undefined ? num(counted) : (CHANNEL_LAYOUTS[layout.replace(/\(.*\)$/, "")] ?? null);
  return { codec, sampleRate: num(/(\d+) Hz/.exec(rest)?.[1]), channels };
}

function seconds(h: string, m: string, s: string): number {
  return Number(h) * 3600 + Number(m) * 60 + Number(s);
}

/**
 * Reads ffmpeg's stderr (`-loglevel verbose`) line by line: the input's stream lines, the
 * blackdetect / freezedetect / silencedetect lines and the final report. Filters that still
 * see black or silence at the end print their span while closing (after the final report):
 * those spans are open at the end of the sample (`endSeconds: null`), like a freeze that never
 * printed its `freeze_end`.
 */
export class FfmpegLogParser {
  #section: "none" | "input" | "output" = "none";
  #video: Omit<Video, "measuredFps"> | null = null;
  #audio: Audio | null = null;
  #firstFrameAtMs: number | null = null;
  #frames: number | null = null;
  #sampledSeconds: number | null = null;
  #demuxedBytes: number | null = null;
  #finished = false;
  #redirectedTo: string | null = null;
  readonly #black: OpenSpan[] = [];
  readonly #frozen: OpenSpan[] = [];
  readonly #silent: OpenSpan[] = [];

  /** Where an RTSP server redirected the reader, null while it did not. */
  get redirectedTo(): string | null {
    return this.#redirectedTo;
  }

  /** Feeds one line, printed `atMs` after spawn. */
  push(line: string, atMs: number): void {
    if (line.startsWith("Input #0,")) this.#section = "input";
    else if (line.startsWith("Output #0,")) {
      this.#section = "output";
      this.#firstFrameAtMs ??= atMs;
    } else if (line.startsWith("Stream mapping:")) this.#section = "none";
    else if (this.#section === "input") this.#streamLine(line);
    if (line.includes("detect @")) this.#filterLine(line);
    else this.#reportLine(line);
  }

  #streamLine(line: string): void {
    const m = STREAM_LINE.exec(line);
    if (m === null) return;
    const [, kind, codec = "", rest = ""] = m;
    if (kind === "Video" && this.#video === null) this.#video = parseVideo(codec, rest);
    if (kind === "Audio" && this.#audio === null) this.#audio = parseAudio(codec, rest);
  }

  #reportLine(line: string): void {
    const time = /\btime=(\d+):(\d+):(\d+(?:\.\d+)?)/.exec(line);
    if (time !== null && /\bLsize=|\bsize=/.test(line)) {
      this.#sampledSeconds = seconds(time[1] ?? "0", time[2] ?? "0", time[3] ?? "0");
      this.#frames = num(/\bframe=\s*(\d+)/.exec(line)?.[1]);
    }
    if (/^video:\S+ audio:\S+/.test(line)) this.#finished = true;
    const demuxed = /^\s*Total: \d+ packets \((\d+) bytes\) demuxed/.exec(line);
    if (demuxed !== null) this.#demuxedBytes = num(demuxed[1]);
    const redirect = /Redirecting to (\S+)/.exec(line);
    if (redirect !== null) this.#redirectedTo ??= redirect[1] ?? "";
  }

  #filterLine(line: string): void {
    const black = /black_start:(\S+) black_end:(\S+) black_duration:(\S+)/.exec(line);
    if (black !== null) {
      const [start, end, duration] = [num(black[1]) ?? 0, num(black[2]), num(black[3])];
      this.#black.push({
        startSeconds: start,
        endSeconds: this.#finished ? null : end,
        durationSeconds: duration,
      });
      return;
    }
    const freezeStart = /freezedetect\.freeze_start: (\S+)/.exec(line);
    if (freezeStart !== null) this.#frozen.push(open(num(freezeStart[1]) ?? 0));
    const freezeEnd = /freezedetect\.freeze_end: (\S+)/.exec(line);
    if (freezeEnd !== null) close(this.#frozen, num(freezeEnd[1]), false);
    const silenceStart = /silence_start: (\S+)/.exec(line);
    if (silenceStart !== null) this.#silent.push(open(num(silenceStart[1]) ?? 0));
    const silenceEnd = /silence_end: (\S+)/.exec(line);
    if (silenceEnd !== null) close(this.#silent, num(silenceEnd[1]), this.#finished);
  }

  /** Everything read so far; open spans last until `sampledSeconds`. */
  facts(): FfmpegLogFacts {
    const end = this.#sampledSeconds;
    const done = (spans: OpenSpan[]) => spans.map((s) => finish(s, end));
    return {
      video: this.#video,
      audio: this.#audio,
      firstFrameAtMs: this.#firstFrameAtMs,
      frames: this.#frames,
      sampledSeconds: this.#sampledSeconds,
      demuxedBytes: this.#demuxedBytes,
      finished: this.#finished,
      redirectedTo: this.#redirectedTo,
      black: done(this.#black),
      frozen: done(this.#frozen),
      silent: done(this.#silent),
    };
  }
}

function open(startSeconds: number): OpenSpan {
  return { startSeconds, endSeconds: null, durationSeconds: null };
}

/** Closes the last open span; `stillOpen` when the filter only reported it while closing. */
function close(spans: OpenSpan[], endSeconds: number | null, stillOpen: boolean): void {
  const last = spans.findLast((s) => s.endSeconds === null);
  if (last === undefined || endSeconds === null || stillOpen) return;
  last.endSeconds = endSeconds;
  last.durationSeconds = Math.max(0, endSeconds - last.startSeconds);
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}

function finish(span: OpenSpan, sampledSeconds: number | null): DetectedSpan {
  const { startSeconds, endSeconds } = span;
  const until = endSeconds ?? sampledSeconds ?? startSeconds;
  const durationSeconds =
    endSeconds === null ? Math.max(0, until - startSeconds) : (span.durationSeconds ?? 0);
  return {
    startSeconds: round3(startSeconds),
    endSeconds: endSeconds === null ? null : round3(endSeconds),
    durationSeconds: round3(durationSeconds),
  };
}
