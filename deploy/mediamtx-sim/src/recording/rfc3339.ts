import { localTimeZone, type WallTime, wallTime } from "./zoned-time.ts";

const pad = (v: number, n = 2) => String(v).padStart(n, "0");

/** Go's `Z07:00` zone suffix: `Z` for a zero offset, else `±HH:MM`. */
function offsetSuffix(offsetSeconds: number): string {
  if (offsetSeconds === 0) return "Z";
  const abs = Math.abs(offsetSeconds);
  return `${offsetSeconds > 0 ? "+" : "-"}${pad(Math.floor(abs / 3600))}:${pad(Math.floor(abs / 60) % 60)}`;
}

/** Formats a wall time like Go's `time.RFC3339Nano` (fraction trimmed of zeros, dropped when 0). */
export function formatWallRfc3339Nano(w: WallTime): string {
  const frac = w.micros === 0 ? "" : `.${pad(w.micros, 6)}`.replace(/0+$/, "");
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}${frac}${offsetSuffix(w.offsetSeconds)}`;
}

/** `epochMicros` as Go's `time.RFC3339Nano` in zone `tz` (default: local), as MediaMTX's JSON shows it. */
export function formatGoRfc3339Nano(epochMicros: number, tz: string = localTimeZone()): string {
  return formatWallRfc3339Nano(wallTime(epochMicros, tz));
}

/** A parsed RFC3339 time: the instant and the offset it was written with. */
export interface ParsedRfc3339 {
  readonly epochMicros: number;
  readonly offsetSeconds: number;
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Parses like Go's `time.Parse(time.RFC3339, s)` (a fraction of any length is accepted);
 * nanoseconds beyond microseconds are truncated. Undefined when `s` does not parse.
 */
export function parseRfc3339(s: string): ParsedRfc3339 | undefined {
  const m = RFC3339.exec(s);
  if (m === null) return undefined;
  const [, y, mo, d, h, mi, se, frac = "", zone = "Z"] = m;
  const n = [y, mo, d, h, mi, se].map(Number) as [number, number, number, number, number, number];
  if (n[1] < 1 || n[1] > 12 || n[2] < 1 || n[2] > 31 || n[3] > 23 || n[4] > 59 || n[5] > 59) return undefined;
  const offsetSeconds =
    zone === "Z"
      ? 0
      : (zone[0] === "-" ? -1 : 1) * (Number(zone.slice(1, 3)) * 3600 + Number(zone.slice(4, 6)) * 60);
  const micros = Number(frac.padEnd(9, "0").slice(0, 6));
  const utcSeconds = Date.UTC(n[0], n[1] - 1, n[2], n[3], n[4], n[5]) / 1000 - offsetSeconds;
  return { epochMicros: utcSeconds * 1e6 + micros, offsetSeconds };
}

/** Go's error text for a value that is not RFC3339 (only the common first-field form). */
export function rfc3339ParseError(s: string): string {
  return `parsing time ${JSON.stringify(s)} as "2006-01-02T15:04:05Z07:00": cannot parse ${JSON.stringify(s)} as "2006"`;
}
