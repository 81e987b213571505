const UNITS = [
  ["E", 1024n ** 6n],
  ["P", 1024n ** 5n],
  ["T", 1024n ** 4n],
  ["G", 1024n ** 3n],
  ["M", 1024n ** 2n],
  ["K", 1024n],
  ["B", 1n],
] as const;

/** MediaMTX `conf.StringSize` (code.cloudfoundry.org/bytefmt) parsing and rendering. */
export const ByteSize = {
  parse(text: string): number {
    const s = text.trim().toUpperCase();
    const i = s.search(/[A-Z]/);
    const err = new Error(
      "byte quantity must be a positive integer with a unit of measurement like M, MB, MiB, G, GiB, or GB",
    );
    if (i < 1) throw err;
    const value = Number(s.slice(0, i));
    const unit = s.slice(i).replace(/I?B$/, "") || "B";
    const mult = UNITS.find(([u]) => u === unit)?.[1];
    if (mult === undefined || !Number.isFinite(value) || value < 0) throw err;
    return Math.round(value * Number(mult));
  },
  format(bytes: number): string {
    for (const [unit, mult] of UNITS) {
      const m = Number(mult);
      if (bytes >= m) {
        const v = (bytes / m).toFixed(1).replace(/\.0$/, "");
        return `${v}${unit}`;
      }
    }
    return "0B";
  },
};
