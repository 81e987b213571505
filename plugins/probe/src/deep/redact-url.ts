/**
 * A URL fit for logs, errors and answers: the user and password are dropped and every query
 * value is masked (probe URLs may carry `?jwt=…`, `?pass=…` or a stream key as a query value).
 * One helper for the whole plugin, so a URL never reads differently in a log and an error.
 */
export function redactUrl(url: string | URL): string {
  let parsed: URL;
  try {
    parsed = new URL(typeof url === "string" ? url : url.href);
  } catch {
    return "(unparsable URL)";
  }
  const hadQuery = parsed.search !== "";
  if (parsed.username === "" && parsed.password === "" && !hadQuery) return parsed.href;
  parsed.username = "";
  parsed.password = "";
  if (hadQuery) {
    const masked = new URLSearchParams();
    for (const key of parsed.searchParams.keys()) if (!masked.has(key)) masked.set(key, "***");
    parsed.search = masked.toString().replaceAll("%2A", "*");
  }
  return parsed.href;
}
