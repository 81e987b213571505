import { localTimeZone, type WallTime, wallTime } from "./zoned-time.ts";

/** `recordFormat` values. */
export type RecordFormat = "fmp4" | "mpegts";

/** A path configuration as far as recordings are concerned. */
export interface RecordConfig {
  /** Literal name, `~regex`, `all` or `all_others`. */
  readonly name: string;
  readonly recordPath: string;
  readonly format: RecordFormat;
}

/** MediaMTX adds the extension itself (`PathAddExtension`). */
export function recordExtension(format: RecordFormat): ".mp4" | ".ts" {
  return format === "mpegts" ? ".ts" : ".mp4";
}

const pad = (v: number, n: number) => String(v).padStart(n, "0");

function zoneSuffix(offsetSeconds: number): string {
  if (offsetSeconds === 0) return "Z";
  const abs = Math.abs(offsetSeconds);
  return `${offsetSeconds > 0 ? "+" : "-"}${pad(Math.floor(abs / 3600), 2)}${pad(Math.floor(abs / 60) % 60, 2)}`;
}

/** Go's `recordstore.Path.Encode` for a wall time (`epochSeconds` feeds `%s`). */
export function encodeRecordPath(
  format: string,
  pathName: string,
  w: WallTime,
  epochSeconds: number,
): string {
  return format
    .replaceAll("%path", pathName)
    .replaceAll("%Y", String(w.year))
    .replaceAll("%m", pad(w.month, 2))
    .replaceAll("%d", pad(w.day, 2))
    .replaceAll("%H", pad(w.hour, 2))
    .replaceAll("%M", pad(w.minute, 2))
    .replaceAll("%S", pad(w.second, 2))
    .replaceAll("%f", pad(w.micros, 6))
    .replaceAll("%z", zoneSuffix(w.offsetSeconds))
    .replaceAll("%s", String(epochSeconds));
}

/**
 * The segment file name MediaMTX writes for a segment whose first sample arrived at `start`
 * (a Date, or epoch microseconds), in the local zone `tz`, with the format's extension when
 * `format` is given.
 */
export function formatRecordPath(
  pattern: string,
  pathName: string,
  start: Date | number,
  opts: { tz?: string; format?: RecordFormat } = {},
): string {
  const micros = typeof start === "number" ? start : start.getTime() * 1000;
  const withExt = opts.format === undefined ? pattern : pattern + recordExtension(opts.format);
  return encodeRecordPath(
    withExt,
    pathName,
    wallTime(micros, opts.tz ?? localTimeZone()),
    Math.floor(micros / 1e6),
  );
}

/** Go's `recordstore.CommonPath`: the leading folders of a pattern that hold no `%`. */
export function commonPath(v: string): string {
  let common = "";
  let remaining = v;
  for (;;) {
    const i = remaining.search(/[\\/]/);
    if (i < 0) break;
    const part = remaining.slice(0, i + 1);
    remaining = remaining.slice(i + 1);
    if (part.includes("%")) break;
    common += part;
  }
  return common.length > 0 ? common.slice(0, -1) : common;
}
