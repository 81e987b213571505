/** Formats a time like Go's `time.Time` JSON (RFC3339Nano, local offset, trailing zeros trimmed). */
export function goTime(ms: number): string {
  const d = new Date(ms);
  const offsetMin = -d.getTimezoneOffset();
  const local = new Date(ms + offsetMin * 60_000);
  const base = local.toISOString().slice(0, 19);
  const frac = String(Math.round(ms * 1000) % 1_000_000)
    .padStart(6, "0")
    .replace(/0+$/, "");
  let zone = "Z";
  if (offsetMin !== 0) {
    const a = Math.abs(offsetMin);
    zone = `${offsetMin > 0 ? "+" : "-"}${String(Math.floor(a / 60)).padStart(2, "0")}:${String(a % 60).padStart(2, "0")}`;
  }
  return `${base}${frac === "" ? "" : `.${frac}`}${zone}`;
}
