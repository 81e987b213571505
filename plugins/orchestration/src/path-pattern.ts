import { MtxError } from "@mtx-fleet/plugin-api";

/** A compiled `match` of a rule: which runtime paths it takes and what it captures from them. */
export interface PathPattern {
  /** The pattern as configured (`live/{streamId}/in`, `~^cam/(?<id>\d+)$`). */
  readonly source: string;
  /** Names the pattern captures (named groups, and `G1`… for unnamed groups of a `~regex`). */
  readonly captures: readonly string[];
  /** The captures of `path`, or null when the pattern does not match the whole path. */
  match(path: string): Readonly<Record<string, string>> | null;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const REGEX_SPECIALS = /[.*+?^${}()|[\]\\]/g;

/**
 * `live/{streamId}/in` → `^live/(?<streamId>[^/]+)/in$`: a capture takes one path segment, so
 * `live/a/b/in` does not match (MediaMTX path names are segments joined by `/`).
 */
function compileTemplate(source: string): RegExp {
  let regex = "^";
  let rest = source;
  const seen = new Set<string>();
  while (rest !== "") {
    const open = rest.indexOf("{");
    if (open === -1) {
      if (rest.includes("}")) throw invalid(source, "has a '}' without '{'");
      regex += rest.replace(REGEX_SPECIALS, "\\$&");
      break;
    }
    const literal = rest.slice(0, open);
    if (literal.includes("}")) throw invalid(source, "has a '}' without '{'");
    regex += literal.replace(REGEX_SPECIALS, "\\$&");
    const close = rest.indexOf("}", open);
    if (close === -1) throw invalid(source, "has a '{' without '}'");
    const name = rest.slice(open + 1, close);
    if (!NAME.test(name)) throw invalid(source, `has an invalid capture name '{${name}}'`);
    if (seen.has(name)) throw invalid(source, `captures '{${name}}' twice`);
    seen.add(name);
    regex += `(?<${name}>[^/]+)`;
    rest = rest.slice(close + 1);
  }
  return new RegExp(`${regex}$`);
}

/**
 * `~regex` as in a MediaMTX path config: matched against the whole name (CONTRACT §3), RE2's
 * `(?P<name>…)` accepted next to JS's `(?<name>…)`.
 */
function compileRegex(source: string): RegExp {
  const body = source.slice(1).replaceAll("(?P<", "(?<");
  try {
    return new RegExp(`^(?:${body})$`);
  } catch (error) {
    throw invalid(source, `is not a valid regular expression (${(error as Error).message})`);
  }
}

function invalid(source: string, problem: string): MtxError {
  return new MtxError("MTX_INVALID_INPUT", `match '${source}' ${problem}`, { details: { match: source } });
}

/** Names of a regex's groups in order: named ones by name, unnamed ones as `G1`, `G2`… */
function groupNames(regex: RegExp): string[] {
  const names: string[] = [];
  let unnamed = 0;
  // Walk the source for '(' that opens a capturing group: not escaped, not in a class, not '(?:'.
  const src = regex.source;
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const ch = src[i];
    if (ch === "\\") {
      i++;
      continue;
    }
    if (inClass) {
      if (ch === "]") inClass = false;
      continue;
    }
    if (ch === "[") inClass = true;
    if (ch !== "(") continue;
    const named = /^\(\?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(src.slice(i));
    if (named) names.push(named[1]!);
    else if (src[i + 1] !== "?") names.push(`G${++unnamed}`);
  }
  return names;
}

/** Compiles a rule's `match`; throws `MTX_INVALID_INPUT` naming the problem. */
export function compilePathPattern(source: string): PathPattern {
  if (source === "") throw invalid(source, "is empty");
  const regex = source.startsWith("~") ? compileRegex(source) : compileTemplate(source);
  const names = groupNames(regex);
  return {
    source,
    captures: names,
    match(path) {
      const found = regex.exec(path);
      if (found === null) return null;
      const captures: Record<string, string> = {};
      for (const [name, value] of Object.entries(found.groups ?? {})) {
        if (value !== undefined) captures[name] = value;
      }
      // Unnamed groups become G1… like MediaMTX's hook variables (found[i] counts every group).
      names.forEach((name, index) => {
        const value = found[index + 1];
        if (/^G\d+$/.test(name) && value !== undefined) captures[name] = value;
      });
      return captures;
    },
  };
}
