import { rm } from "node:fs/promises";
import { isAbsolute, relative, resolve } from "node:path";
import { MtxError } from "@mtx-fleet/plugin-api";
import { configRegExp, findPathConf } from "./find-path-conf.ts";
import { findSegments, scanSegments } from "./find-segments.ts";
import { commonPath, encodeRecordPath, type RecordConfig, recordExtension } from "./record-path.ts";
import { formatGoRfc3339Nano, parseRfc3339, rfc3339ParseError } from "./rfc3339.ts";
import { wallTimeAtOffset } from "./zoned-time.ts";

/** One item of `/v3/recordings/list` (before pagination) or `/v3/recordings/get/{name}`. */
export interface RecordingItem {
  readonly name: string;
  readonly segments: ReadonlyArray<{ readonly start: string }>;
}

interface StoreOptions {
  /** MediaMTX's working directory: relative record paths start there. */
  readonly cwd: string;
  /** Current path configurations (recordings of other paths are invisible, like in MediaMTX). */
  readonly configs: readonly RecordConfig[];
  /** Local zone of the simulated server (default: the process zone). */
  readonly tz?: string;
}

const badRequest = (message: string, cause?: unknown) =>
  new MtxError("MTX_INVALID_INPUT", message, { details: { httpStatus: 400 }, cause });

async function recordingOf(
  opts: StoreOptions,
  config: RecordConfig,
  pathName: string,
): Promise<RecordingItem> {
  const tz = opts.tz === undefined ? {} : { tz: opts.tz };
  const segments = await findSegments({ cwd: opts.cwd, config, pathName, ...tz });
  return {
    name: pathName,
    segments: segments.map((s) => ({ start: formatGoRfc3339Nano(s.startMicros, opts.tz) })),
  };
}

/** `FindAllPathsWithSegments` + `recordingsOfPath`: every path with segments, sorted by name. */
export async function listRecordings(opts: StoreOptions): Promise<RecordingItem[]> {
  const names = new Set<string>();
  const tz = opts.tz === undefined ? {} : { tz: opts.tz };
  for (const config of opts.configs) {
    const re = configRegExp(config.name);
    const pattern =
      (re === undefined ? config.recordPath.replaceAll("%path", config.name) : config.recordPath) +
      recordExtension(config.format);
    for (const s of await scanSegments({ cwd: opts.cwd, pattern, ...tz })) {
      if (re === undefined) names.add(config.name);
      else if (re.test(s.path)) names.add(s.path);
    }
  }
  const sorted = [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return Promise.all(sorted.map((name) => recordingOf(opts, findPathConf(opts.configs, name), name)));
}

/** `/v3/recordings/get/{name}`: the path's segments (`[]` when it has none); 400 when not configured. */
export async function getRecording(opts: StoreOptions & { pathName: string }): Promise<RecordingItem> {
  return recordingOf(opts, findPathConf(opts.configs, opts.pathName), opts.pathName);
}

/**
 * `DELETE /v3/recordings/deletesegment`: `start` is re-encoded into a file name with its own
 * UTC offset, so only the exact `start` string from the API names the file. Errors carry
 * MediaMTX's 400 message (`remove <file>: no such file or directory`).
 */
export async function deleteSegment(opts: StoreOptions & { path: string; start: string }): Promise<void> {
  const start = parseRfc3339(opts.start);
  if (start === undefined) throw badRequest(`invalid 'start' parameter: ${rfc3339ParseError(opts.start)}`);
  const config = findPathConf(opts.configs, opts.path);
  const pathFormat = config.recordPath.replaceAll("%path", opts.path) + recordExtension(config.format);
  const base = resolve(opts.cwd, commonPath(config.recordPath));
  const wall = wallTimeAtOffset(start.epochMicros, start.offsetSeconds);
  const segmentPath = encodeRecordPath(pathFormat, opts.path, wall, Math.floor(start.epochMicros / 1e6));
  const absolute = resolve(opts.cwd, segmentPath);
  const rel = relative(base, absolute);
  if (rel.startsWith("..") || isAbsolute(rel)) throw badRequest("path escapes base directory");
  try {
    await rm(absolute);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const reason =
      code === "ENOENT" ? "no such file or directory" : code === "EISDIR" ? "is a directory" : String(e);
    throw badRequest(`remove ${segmentPath}: ${reason}`, e);
  }
}
