/** Epoch ms or a date string from an agent's result → ISO string; anything else → null. */
export function isoOf(value: unknown): string | null {
  const ms = typeof value === "number" ? value : typeof value === "string" ? Date.parse(value) : Number.NaN;
  // Past ±8.64e15 ms a Date is invalid (toISOString would throw).
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : null;
}
