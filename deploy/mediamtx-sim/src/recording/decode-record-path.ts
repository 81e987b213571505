import { epochOfWallTime, localTimeZone } from "./zoned-time.ts";

/** A decoded segment file name. */
export interface DecodedRecordPath {
  readonly path: string;
  readonly startMicros: number;
  readonly start: Date;
}

const PLACEHOLDERS: ReadonlyArray<[string, string]> = [
  ["%path", "(.*?)"],
  ["%Y", "([0-9]{4})"],
  ["%m", "([0-9]{2})"],
  ["%d", "([0-9]{2})"],
  ["%H", "([0-9]{2})"],
  ["%M", "([0-9]{2})"],
  ["%S", "([0-9]{2})"],
  ["%f", "([0-9]{6})"],
  ["%z", "(Z|\\+[0-9]{4}|-[0-9]{4})"],
  ["%s", "([0-9]{10})"],
];

function groupOrder(pattern: string): string[] {
  const order: string[] = [];
  for (let i = pattern.indexOf("%"); i >= 0; i = pattern.indexOf("%", i + 1)) {
    for (const [name] of PLACEHOLDERS) if (pattern.startsWith(name, i)) order.push(name);
  }
  return order;
}

function zoneOffsetSeconds(z: string): number {
  if (z === "Z") return 0;
  return (z[0] === "-" ? -1 : 1) * (Number(z.slice(1, 3)) * 3600 + Number(z.slice(3, 5)) * 60);
}

/**
 * Go's `recordstore.Path.Decode`: matches `file` (unanchored, like Go's FindStringSubmatch)
 * against the pattern and reads the start time — with `%s` the unix time wins, with `%z` the
 * written offset applies, else the wall time is read in the local zone `tz`. Null if no match.
 */
export function decodeRecordPath(
  pattern: string,
  file: string,
  opts: { tz?: string } = {},
): DecodedRecordPath | null {
  let re = pattern.replace(/[\\.+*?^$()[\]{}|]/g, "\\$&");
  for (const [name, group] of PLACEHOLDERS) re = re.replaceAll(name, group);
  const m = new RegExp(re).exec(file);
  if (m === null) return null;
  const values = new Map<string, string>();
  groupOrder(pattern).forEach((name, i) => {
    values.set(name, m[i + 1] ?? "");
  });
  const num = (k: string, dflt: number) => (values.has(k) ? Number(values.get(k)) : dflt);
  const micros = num("%f", 0);
  const unix = num("%s", -1);
  let startMicros: number;
  if (unix > 0) {
    startMicros = unix * 1e6 + micros;
  } else {
    const wall = {
      year: num("%Y", 0),
      month: num("%m", 1),
      day: num("%d", 1),
      hour: num("%H", 0),
      minute: num("%M", 0),
      second: num("%S", 0),
      micros,
    };
    const z = values.get("%z");
    startMicros =
      z === undefined
        ? epochOfWallTime(wall, opts.tz ?? localTimeZone())
        : Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second) * 1000 -
          zoneOffsetSeconds(z) * 1e6 +
          micros;
  }
  return { path: values.get("%path") ?? "", startMicros, start: new Date(Math.floor(startMicros / 1000)) };
}
