/** Wall-clock fields of an instant in a time zone, with microseconds and the UTC offset. */
export interface WallTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly micros: number;
  /** Seconds east of UTC. */
  readonly offsetSeconds: number;
}

/** The process's local zone (honours `TZ`), like Go's `time.Local`. */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (f === undefined) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: tz,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(tz, f);
  }
  return f;
}

/** The wall time of `epochMicros` in zone `tz` (default: the local zone). */
export function wallTime(epochMicros: number, tz: string = localTimeZone()): WallTime {
  const seconds = Math.floor(epochMicros / 1e6);
  const micros = epochMicros - seconds * 1e6;
  const parts: Record<string, number> = {};
  for (const p of formatter(tz).formatToParts(new Date(seconds * 1000))) {
    if (p.type !== "literal") parts[p.type] = Number(p.value);
  }
  const f = (k: string) => parts[k] ?? 0;
  const asUtc = Date.UTC(f("year"), f("month") - 1, f("day"), f("hour"), f("minute"), f("second")) / 1000;
  return {
    year: f("year"),
    month: f("month"),
    day: f("day"),
    hour: f("hour"),
    minute: f("minute"),
    second: f("second"),
    micros,
    offsetSeconds: asUtc - seconds,
  };
}

/** The wall time of `epochMicros` at a fixed UTC offset (a parsed RFC3339 value keeps its own). */
export function wallTimeAtOffset(epochMicros: number, offsetSeconds: number): WallTime {
  const w = wallTime(epochMicros + offsetSeconds * 1e6, "UTC");
  return { ...w, offsetSeconds };
}

/** Epoch microseconds of a wall time read in zone `tz` (Go `time.Date` with a Location). */
export function epochOfWallTime(w: Omit<WallTime, "offsetSeconds">, tz: string = localTimeZone()): number {
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) / 1000;
  const first = wallTime(asUtc * 1e6, tz).offsetSeconds;
  let seconds = asUtc - first;
  const second = wallTime(seconds * 1e6, tz).offsetSeconds;
  if (second !== first) seconds = asUtc - second;
  return seconds * 1e6 + w.micros;
}
