import type { MtxVersion } from "../spec/mtx-version.ts";

/**
 * One MediaMTX configuration in rendered (GET) form: `global` and `pathDefaults` carry every
 * key, `paths` the per-path overrides exactly as stored (what `replace` swaps, `patch` merges).
 */
export interface Conf {
  readonly version: MtxVersion;
  readonly global: Readonly<Record<string, unknown>>;
  readonly pathDefaults: Readonly<Record<string, unknown>>;
  readonly paths: ReadonlyMap<string, Readonly<Record<string, unknown>>>;
}
