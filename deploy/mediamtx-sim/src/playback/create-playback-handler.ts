import { createReadStream } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MtxError } from "@mtx-fleet/plugin-api";
import { goQueryEscape } from "../hooks/go-query-escape.ts";
import { type LibLogger, silentLogger } from "../media/lib-logger.ts";
import { runTool } from "../media/run-tool.ts";
import { findPathConf } from "../recording/find-path-conf.ts";
import { findSegments } from "../recording/find-segments.ts";
import type { RecordConfig } from "../recording/record-path.ts";
import { formatGoRfc3339Nano, parseRfc3339, rfc3339ParseError } from "../recording/rfc3339.ts";
import { computeSpans, type Span, trimSpans } from "./compute-spans.ts";
import { parsePlaybackDuration } from "./parse-go-duration.ts";

export interface PlaybackHandlerOptions {
  /** MediaMTX's working directory: relative record paths start there. */
  readonly cwd: string;
  /** The current path configurations (read on every request). */
  getConfigs(): readonly RecordConfig[];
  /** Local zone of the simulated server (default: the process zone). */
  readonly tz?: string;
  readonly ffmpegPath?: string;
  readonly logger?: LibLogger;
}

class HttpError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

const NO_SEGMENTS = "no recording segments found";

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body));
}

function timeParam(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === "") return undefined;
  const t = parseRfc3339(v);
  if (t === undefined) throw new HttpError(400, `invalid ${name}: ${rfc3339ParseError(v)}`);
  return t.epochMicros;
}

function pathConfig(opts: PlaybackHandlerOptions, pathName: string): RecordConfig {
  try {
    return findPathConf(opts.getConfigs(), pathName);
  } catch (e) {
    throw new HttpError(400, (e as Error).message);
  }
}

async function spansOf(
  opts: PlaybackHandlerOptions,
  config: RecordConfig,
  pathName: string,
  startMicros?: number,
  endMicros?: number,
): Promise<Span[]> {
  const range = {
    ...(startMicros === undefined ? {} : { startMicros }),
    ...(endMicros === undefined ? {} : { endMicros }),
  };
  const tz = opts.tz === undefined ? {} : { tz: opts.tz };
  const segments = await findSegments({ cwd: opts.cwd, config, pathName, ...range, ...tz });
  if (segments.length === 0) throw new HttpError(404, NO_SEGMENTS);
  if (config.format === "mpegts") throw new HttpError(500, "MPEG-TS format is not supported yet");
  return computeSpans(segments).catch((e: unknown) => {
    throw new HttpError(500, (e as Error).message);
  });
}

/** Go's `url.Values.Encode`: keys sorted, both sides query-escaped. */
function encodeValues(values: Record<string, string>): string {
  return Object.keys(values)
    .sort()
    .map((k) => `${goQueryEscape(k)}=${goQueryEscape(values[k] ?? "")}`)
    .join("&");
}

async function onList(
  opts: PlaybackHandlerOptions,
  req: IncomingMessage,
  q: URLSearchParams,
): Promise<unknown> {
  const pathName = q.get("path") ?? "";
  const config = pathConfig(opts, pathName);
  const start = timeParam(q, "start");
  const end = timeParam(q, "end");
  const spans = trimSpans(await spansOf(opts, config, pathName, start, end), start, end);
  if (spans.length === 0) throw new HttpError(404, NO_SEGMENTS);
  return spans.map((s) => {
    const startText = formatGoRfc3339Nano(s.startMicros, opts.tz);
    const duration = s.durationMicros / 1e6;
    const query = encodeValues({ path: pathName, start: startText, duration: String(duration) });
    return { start: startText, duration, url: `http://${req.headers.host ?? ""}/get?${query}` };
  });
}

async function onGet(opts: PlaybackHandlerOptions, q: URLSearchParams, res: ServerResponse): Promise<void> {
  const pathName = q.get("path") ?? "";
  const start = parseRfc3339(q.get("start") ?? "");
  if (start === undefined)
    throw new HttpError(400, `invalid start: ${rfc3339ParseError(q.get("start") ?? "")}`);
  const durationSeconds = parsePlaybackDuration(q.get("duration") ?? "");
  if (durationSeconds === undefined || durationSeconds <= 0) {
    throw new HttpError(400, `invalid duration: ${JSON.stringify(q.get("duration") ?? "")}`);
  }
  const format = q.get("format") ?? "fmp4";
  if (format !== "fmp4" && format !== "mp4") throw new HttpError(400, `invalid format: ${format}`);
  const config = pathConfig(opts, pathName);
  const startMicros = start.epochMicros;
  const endMicros = startMicros + Math.round(durationSeconds * 1e6);
  // Playback stops at the first gap: only the span holding `start` is served.
  const [span] = await spansOf(opts, config, pathName, startMicros, endMicros);
  if (
    span === undefined ||
    startMicros >= span.startMicros + span.durationMicros ||
    endMicros <= span.startMicros
  ) {
    throw new HttpError(404, NO_SEGMENTS);
  }
  const segments = span.segments.filter((s) => s.startMicros < endMicros);
  const first = segments[0];
  if (first === undefined) throw new HttpError(404, NO_SEGMENTS);
  const offset = Math.max(0, startMicros - first.startMicros) / 1e6;
  const length =
    (Math.min(endMicros, span.startMicros + span.durationMicros) - Math.max(startMicros, first.startMicros)) /
    1e6;
  await muxAndSend(opts, segments, offset, length, format, res);
}

async function muxAndSend(
  opts: PlaybackHandlerOptions,
  segments: ReadonlyArray<{ file: string }>,
  offsetSeconds: number,
  lengthSeconds: number,
  format: "fmp4" | "mp4",
  res: ServerResponse,
): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "mtx-playback-"));
  try {
    const list = join(dir, "list.ffconcat");
    const lines = segments.map((s) => `file '${s.file.replaceAll("'", "'\\''")}'`);
    await writeFile(list, `ffconcat version 1.0\n${lines.join("\n")}\n`);
    const out = join(dir, "out.mp4");
    const movflags = format === "fmp4" ? "frag_keyframe+empty_moov+default_base_moof" : "+faststart";
    const args = ["-hide_banner", "-loglevel", "error", "-nostdin", "-f", "concat", "-safe", "0"];
    args.push(
      "-ss",
      offsetSeconds.toFixed(6),
      "-i",
      list,
      "-t",
      lengthSeconds.toFixed(6),
      "-map",
      "0",
      "-c",
      "copy",
    );
    args.push("-f", "mp4", "-movflags", movflags, out);
    await runTool(opts.ffmpegPath ?? "ffmpeg", args, { timeoutMs: 120_000 });
    res.writeHead(200, { "Content-Type": "video/mp4", "Accept-Ranges": "none" });
    await new Promise<void>((resolve) => {
      createReadStream(out)
        .on("error", () => res.destroy())
        .on("close", resolve)
        .pipe(res);
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The playback server's routes, like MediaMTX's `internal/playback`: `GET /list` (recorded
 * spans with `/get` URLs built from the Host header) and `GET /get` (an MP4 of a time window,
 * `Accept-Ranges: none`). Errors are `{"status":"error","error":"..."}`.
 */
export function createPlaybackHandler(
  opts: PlaybackHandlerOptions,
): (req: IncomingMessage, res: ServerResponse) => void {
  const logger = opts.logger ?? silentLogger;
  return (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const route = req.method === "GET" ? url.pathname : "";
    const work =
      route === "/list"
        ? onList(opts, req, url.searchParams).then((body) => sendJson(res, 200, body))
        : route === "/get"
          ? onGet(opts, url.searchParams, res)
          : Promise.resolve().then(() => {
              res.writeHead(404, { "Content-Type": "text/plain" });
              res.end("404 page not found");
            });
    work.catch((e: unknown) => {
      const status = e instanceof HttpError ? e.status : MtxError.is(e) ? 400 : 500;
      if (status === 500) logger.error({ err: String(e), url: req.url }, "playback request failed");
      if (res.headersSent) res.destroy();
      else sendJson(res, status, { status: "error", error: (e as Error).message });
    });
  };
}
