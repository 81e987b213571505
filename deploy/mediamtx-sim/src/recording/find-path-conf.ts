import { MtxError } from "@mtx-fleet/plugin-api";

const VALID_NAME = /^[0-9a-zA-Z_\-/.]+$/;

/** Why `name` is not a valid literal path name (`IsValidPathName`), or undefined. */
export function pathNameProblem(name: string): string | undefined {
  if (name === "") return "cannot be empty";
  if (name.startsWith("/")) return "can't begin with a slash";
  if (name.endsWith("/")) return "can't end with a slash";
  if (!VALID_NAME.test(name))
    return "can contain only alphanumeric characters, underscore, dot, minus, slash";
  if (name.split("/").some((p) => p === "." || p === "..")) return "can't contain dot path segments";
  return undefined;
}

/** The regexp of a config name: `~re`, or `all`/`all_others` (aliases of `~^.*$`); else undefined. */
export function configRegExp(name: string): RegExp | undefined {
  if (name === "all" || name === "all_others") return /^.*$/;
  if (name.startsWith("~")) return new RegExp(name.slice(1));
  return undefined;
}

const isCatchAll = (name: string) => name === "all" || name === "all_others" || name === "~^.*$";

/**
 * MediaMTX's `conf.FindPathConf`: the literal config first, then regex configs in name order
 * with `all`/`all_others` last. Throws `MTX_INVALID_INPUT` with MediaMTX's message
 * (`invalid path name: ... (x)`, `path 'x' is not configured`).
 */
export function findPathConf<T extends { readonly name: string }>(
  configs: readonly T[],
  pathName: string,
): T {
  const literal = configs.find((c) => c.name === pathName && configRegExp(c.name) === undefined);
  if (literal !== undefined) return literal;
  const problem = pathNameProblem(pathName);
  if (problem !== undefined) {
    throw new MtxError("MTX_INVALID_INPUT", `invalid path name: ${problem} (${pathName})`, {
      details: { httpStatus: 400 },
    });
  }
  const regexps = configs
    .filter((c) => configRegExp(c.name) !== undefined)
    .sort((a, b) => Number(isCatchAll(a.name)) - Number(isCatchAll(b.name)) || (a.name < b.name ? -1 : 1));
  const found = regexps.find((c) => configRegExp(c.name)?.test(pathName));
  if (found !== undefined) return found;
  throw new MtxError("MTX_INVALID_INPUT", `path '${pathName}' is not configured`, {
    details: { httpStatus: 400 },
  });
}
