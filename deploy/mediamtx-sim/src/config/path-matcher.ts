import type { Conf } from "./conf.ts";

const ALL_ALIASES = new Set(["all", "all_others", "~^.*$"]);

/** Turns a Go RE2 pattern into a JS RegExp (named groups `(?P<n>` → `(?<n>`). */
export function compileGoRegexp(pattern: string): RegExp {
  return new RegExp(pattern.replace(/\(\?P</g, "(?<"), "u");
}

/** Result of matching a runtime path name against the configured paths. */
export interface PathMatch {
  readonly confName: string;
  /** Regex capture groups ($G1...). */
  readonly groups: readonly string[];
}

/** True for config names that are regexes (`~...`, `all`, `all_others`). */
export function isRegexConfName(name: string): boolean {
  return name.startsWith("~") || name === "all" || name === "all_others";
}

/**
 * Finds the config of runtime path `name`: a literal config wins, then regex configs in name
 * order, with `all`/`all_others` last (MediaMTX `FindPathConf`).
 */
export function matchPathConf(conf: Conf, name: string): PathMatch | undefined {
  if (conf.paths.has(name) && !isRegexConfName(name)) return { confName: name, groups: [] };
  const regexNames = [...conf.paths.keys()].filter((n) => n.startsWith("~") && !ALL_ALIASES.has(n)).sort();
  const fallbacks = [...conf.paths.keys()].filter((n) => ALL_ALIASES.has(n));
  for (const confName of [...regexNames, ...fallbacks]) {
    const pattern = ALL_ALIASES.has(confName) ? "^.*$" : confName.slice(1);
    let re: RegExp;
    try {
      re = compileGoRegexp(pattern);
    } catch {
      continue;
    }
    const m = re.exec(name);
    // RE2 FindStringSubmatch: the match need not span the whole name unless anchored.
    if (m !== null) return { confName, groups: m.slice(1).map((g) => g ?? "") };
  }
  return undefined;
}
