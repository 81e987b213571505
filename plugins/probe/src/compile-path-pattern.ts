import { MtxError } from "@mtx-fleet/plugin-api";

/** Tests a runtime path name against one pattern. */
export type PathPattern = (pathName: string) => boolean;

/**
 * A pattern in MediaMTX's `paths:` style: a literal name, `~<regexp>` matched against the
 * whole name (CONTRACT §3; anchored here so `~cam` does not match `mycam2`), or
 * `all`/`all_others` for every name. JavaScript's syntax stands in for RE2 — they agree on
 * what path patterns use (classes, groups, alternation, quantifiers). A regexp that does not
 * compile throws MTX_INVALID_INPUT naming `field`.
 */
export function compilePathPattern(pattern: string, field = "match"): PathPattern {
  if (pattern === "all" || pattern === "all_others") return () => true;
  if (!pattern.startsWith("~")) return (pathName) => pathName === pattern;
  let regexp: RegExp;
  try {
    regexp = new RegExp(`^(?:${pattern.slice(1)})$`, "u");
  } catch (error) {
    const message = `${field} is not a valid regular expression: ${(error as Error).message}`;
    throw new MtxError("MTX_INVALID_INPUT", message, {
      details: { issues: [{ path: field, message }] },
      cause: error,
    });
  }
  return (pathName) => regexp.test(pathName);
}
