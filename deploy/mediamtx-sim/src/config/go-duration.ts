const UNIT_NS: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  µs: 1_000n,
  μs: 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};
const DAY_NS = 86_400_000_000_000n;
const SECOND_NS = 1_000_000_000n;

/** Go `time.Duration` parsing and formatting, plus MediaMTX's optional day prefix. */
export const GoDuration = {
  /** Parses a Go duration (`"1h30m"`, `"200ms"`, `"0"`) into nanoseconds; throws Go's message. */
  parse(text: string): bigint {
    const invalid = new Error(`time: invalid duration "${text}"`);
    let s = text;
    let sign = 1n;
    if (s.startsWith("-") || s.startsWith("+")) {
      if (s[0] === "-") sign = -1n;
      s = s.slice(1);
    }
    if (s === "0") return 0n;
    if (s === "") throw invalid;
    let total = 0n;
    const re = /^(\d*)(?:\.(\d*))?([a-zµμ]+)/;
    while (s.length > 0) {
      const m = re.exec(s);
      if (m === null) throw invalid;
      const [whole, intPart = "", fracPart = "", unit = ""] = m;
      if (intPart === "" && fracPart === "") throw invalid;
      const unitNs = UNIT_NS[unit];
      if (unitNs === undefined) throw new Error(`time: unknown unit "${unit}" in duration "${text}"`);
      total += BigInt(intPart || "0") * unitNs;
      if (fracPart !== "") total += (BigInt(fracPart) * unitNs) / 10n ** BigInt(fracPart.length);
      s = s.slice(whole.length);
    }
    return sign * total;
  },

  /** Formats nanoseconds exactly like Go's `Duration.String()`. */
  format(ns: bigint): string {
    if (ns === 0n) return "0s";
    const neg = ns < 0n;
    let u = neg ? -ns : ns;
    let out: string;
    if (u < SECOND_NS) {
      const [unit, div] = u < 1_000n ? ["ns", 1n] : u < 1_000_000n ? ["µs", 1_000n] : ["ms", 1_000_000n];
      out = fraction(u, div as bigint) + unit;
    } else {
      const h = u / UNIT_NS.h!;
      u -= h * UNIT_NS.h!;
      const m = u / UNIT_NS.m!;
      u -= m * UNIT_NS.m!;
      out = `${fraction(u, SECOND_NS)}s`;
      if (h > 0n || m > 0n) out = `${m}m${out}`;
      if (h > 0n) out = `${h}h${out}`;
    }
    return neg ? `-${out}` : out;
  },

  /** Parses MediaMTX's `conf.Duration` (Go duration with an optional `Nd` prefix). */
  parseConf(text: string): bigint {
    const m = /^(\d+)d(.*)$/.exec(text);
    if (m === null) return GoDuration.parse(text);
    const rest = m[2] ?? "";
    return BigInt(m[1] ?? "0") * DAY_NS + (rest === "" ? 0n : GoDuration.parse(rest));
  },

  /** Renders a `conf.Duration` as MediaMTX v1.20 does: day prefix, zero as `""`. */
  formatConf(ns: bigint, withDays: boolean): string {
    if (!withDays) return GoDuration.format(ns);
    let rest = ns;
    let out = "";
    if (rest >= DAY_NS) {
      const days = rest / DAY_NS;
      rest -= days * DAY_NS;
      out = `${days}d`;
    }
    if (rest !== 0n) out += GoDuration.format(rest);
    return out;
  },

  /** Milliseconds of a rendered conf duration (`""` is 0). */
  toMs(rendered: unknown): number {
    if (typeof rendered !== "string" || rendered === "") return 0;
    return Number(GoDuration.parseConf(rendered) / 1_000_000n);
  },
};

function fraction(value: bigint, div: bigint): string {
  const whole = value / div;
  let frac = (value % div).toString().padStart(div.toString().length - 1, "0");
  frac = frac.replace(/0+$/, "");
  return frac === "" || div === 1n ? `${whole}` : `${whole}.${frac}`;
}
