import { goQueryEscape } from "../hooks/go-query-escape.ts";

/** Go's `url.Values.Encode()`: keys sorted, each value `QueryEscape`d. */
export function goEncodeQuery(params: URLSearchParams): string {
  const keys = [...new Set(params.keys())].sort();
  const parts: string[] = [];
  for (const k of keys)
    for (const v of params.getAll(k)) parts.push(`${goQueryEscape(k)}=${goQueryEscape(v)}`);
  return parts.join("&");
}

/** The cookies of a request (`name=value; other=value`); the first of a repeated name wins. */
export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? "").split(";")) {
    const i = part.indexOf("=");
    if (i < 0) continue;
    const name = part.slice(0, i).trim();
    if (name !== "" && !out.has(name)) out.set(name, part.slice(i + 1).trim());
  }
  return out;
}
