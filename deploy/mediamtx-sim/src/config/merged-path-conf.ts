import type { Conf } from "./conf.ts";

/** A path config in merged form (pathDefaults + overrides + `name`). */
export type PathConf = Readonly<Record<string, unknown>>;

// Deprecated path keys that MediaMTX copies into their replacement when that one is empty.
const RENAMED: ReadonlyArray<readonly [string, string]> = [
  ["runOnReady", "runOnAvailable"],
  ["runOnNotReady", "runOnUnavailable"],
];

/** The merged view of path config `name` (what `GET /v3/config/paths/get/{name}` shows). */
export function mergedPathConf(conf: Conf, name: string): PathConf | undefined {
  const overrides = conf.paths.get(name);
  if (overrides === undefined) return undefined;
  const out: Record<string, unknown> = { ...conf.pathDefaults, ...overrides, name };
  if (conf.version !== "v1.9.3") {
    for (const [oldKey, newKey] of RENAMED) {
      if (typeof out[oldKey] === "string" && out[newKey] === "") out[newKey] = out[oldKey];
    }
    if (typeof out.runOnReadyRestart === "boolean" && out.runOnReadyRestart && !out.runOnAvailableRestart) {
      out.runOnAvailableRestart = true;
    }
    if (typeof out.disablePublisherOverride === "boolean")
      out.overridePublisher = !out.disablePublisherOverride;
  }
  return out;
}
