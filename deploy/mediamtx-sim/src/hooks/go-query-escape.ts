/** Go's `url.QueryEscape`: everything but `A-Za-z0-9-_.~` is %XX-encoded, spaces become `+`. */
export function goQueryEscape(s: string): string {
  let out = "";
  for (const byte of new TextEncoder().encode(s)) {
    const c = String.fromCharCode(byte);
    if (/^[A-Za-z0-9\-_.~]$/.test(c)) out += c;
    else if (c === " ") out += "+";
    else out += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

function versionAtLeast(version: string, min: readonly number[]): boolean {
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (m === null) return true; // unknown versions behave like the newest
  const parts = [Number(m[1]), Number(m[2]), Number(m[3])];
  for (let i = 0; i < min.length; i++) {
    const a = parts[i] ?? 0;
    const b = min[i] ?? 0;
    if (a !== b) return a > b;
  }
  return true;
}

/**
 * The `MTX_QUERY` value a hook receives for a raw query: since v1.18.1 MediaMTX escapes it once
 * more with `url.QueryEscape` (`a=1&b=2` → `a%3D1%26b%3D2`); older versions pass it raw.
 */
export function escapeQueryForHook(query: string, version: string): string {
  return versionAtLeast(version, [1, 18, 1]) ? goQueryEscape(query) : query;
}
