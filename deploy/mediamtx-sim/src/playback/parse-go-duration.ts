const UNITS: Readonly<Record<string, number>> = {
  ns: 1e-9,
  us: 1e-6,
  µs: 1e-6,
  μs: 1e-6,
  ms: 1e-3,
  s: 1,
  m: 60,
  h: 3600,
};

/**
 * The playback `duration` parameter in seconds: a float number of seconds, or (deprecated) a Go
 * duration such as `1m30s`. Undefined when it is neither.
 */
export function parsePlaybackDuration(v: string): number | undefined {
  if (/^[0-9]*\.?[0-9]+(e[+-]?[0-9]+)?$/i.test(v) || /^[0-9]+\.$/.test(v)) return Number(v);
  if (v === "0") return 0;
  const m = /^([+-]?)((?:[0-9]*\.?[0-9]+(?:ns|us|µs|μs|ms|s|m|h))+)$/.exec(v);
  if (m === null) return undefined;
  let total = 0;
  for (const part of (m[2] ?? "").matchAll(/([0-9]*\.?[0-9]+)(ns|us|µs|μs|ms|s|m|h)/g)) {
    total += Number(part[1]) * (UNITS[part[2] ?? ""] ?? 0);
  }
  return m[1] === "-" ? -total : total;
}
