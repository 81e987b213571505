/**
 * Go's `url.QueryUnescape`: `+` is a space, `%XX` a byte; the bytes are read as UTF-8 (invalid
 * sequences become U+FFFD — the exact bytes stay in the event's `env`). Returns null where Go
 * returns an error (a `%` not followed by two hex digits).
 */
export function goQueryUnescape(text: string): string | null {
  if (!text.includes("%") && !text.includes("+")) return text;
  const bytes: number[] = [];
  const utf8 = Buffer.from(text, "utf8");
  for (let i = 0; i < utf8.length; i++) {
    const byte = utf8[i]!;
    if (byte === 0x2b) bytes.push(0x20);
    else if (byte === 0x25) {
      const hex = utf8.subarray(i + 1, i + 3).toString("latin1");
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return null;
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else bytes.push(byte);
  }
  return Buffer.from(bytes).toString("utf8");
}

/** Only what Go's `url.QueryEscape` can produce: unreserved characters, `+` and `%XX`. */
const ESCAPED_QUERY = /^(?:[A-Za-z0-9\-_.~+]|%[0-9A-Fa-f]{2})*$/;

/**
 * Whether `MTX_QUERY` came URL-escaped: MediaMTX escapes it once more since v1.18.1
 * (`a=1&b=2` arrives as `a%3D1%26b%3D2`). `escapedByVersion` is what the node's version says
 * (null while it is not known); without it, a value Go's escaper could not have produced (it
 * has `=`, `&`, a space…) is raw, and anything else is taken as escaped.
 */
export function queryLooksEscaped(query: string, escapedByVersion: boolean | null): boolean {
  return escapedByVersion ?? ESCAPED_QUERY.test(query);
}
