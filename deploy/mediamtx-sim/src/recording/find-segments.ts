import { readdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { decodeRecordPath } from "./decode-record-path.ts";
import { commonPath, type RecordConfig, recordExtension } from "./record-path.ts";

/** A segment file found on disk. */
export interface Segment {
  /** Absolute file name. */
  readonly file: string;
  readonly startMicros: number;
  readonly path: string;
}

async function* walk(dir: string): AsyncGenerator<string> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    const full = join(dir, e.name);
    if (e.isDirectory()) yield* walk(full);
    else yield full;
  }
}

/** Every file under the pattern's fixed prefix that decodes with the (absolute) pattern. */
export async function scanSegments(opts: { cwd: string; pattern: string; tz?: string }): Promise<Segment[]> {
  const pattern = resolve(opts.cwd, opts.pattern);
  const out: Segment[] = [];
  for await (const file of walk(commonPath(pattern))) {
    const d = decodeRecordPath(pattern, file, opts.tz === undefined ? {} : { tz: opts.tz });
    if (d !== null) out.push({ file, startMicros: d.startMicros, path: d.path });
  }
  return out;
}

/**
 * MediaMTX's `recordstore.FindSegments`: the segments of `pathName`, sorted by start. With
 * `startMicros`, segments before the one that may contain it are dropped; with `endMicros`,
 * segments starting after it are. Empty when nothing matches.
 */
export async function findSegments(opts: {
  cwd: string;
  config: RecordConfig;
  pathName: string;
  startMicros?: number;
  endMicros?: number;
  tz?: string;
}): Promise<Segment[]> {
  const pattern =
    opts.config.recordPath.replaceAll("%path", opts.pathName) + recordExtension(opts.config.format);
  const all = await scanSegments({
    cwd: opts.cwd,
    pattern,
    ...(opts.tz === undefined ? {} : { tz: opts.tz }),
  });
  const { endMicros, startMicros } = opts;
  let segments = all
    .filter((s) => endMicros === undefined || s.startMicros <= endMicros)
    .sort((a, b) => a.startMicros - b.startMicros);
  if (startMicros !== undefined && segments.length > 0) {
    const i = segments.findIndex(
      (s, k) =>
        k < segments.length - 1 &&
        startMicros >= s.startMicros &&
        startMicros < (segments[k + 1]?.startMicros ?? 0),
    );
    if (i >= 0) segments = segments.slice(i);
    else {
      segments = segments.slice(-1);
      if ((segments[0]?.startMicros ?? 0) > startMicros) return [];
    }
  }
  return segments;
}
