import type { MediaMtxFeatures } from "./features.ts";

/** Hook keys renamed in v1.19.3: current name → name older nodes know. */
const HOOK_RENAMES = [
  ["runOnAvailable", "runOnReady"],
  ["runOnAvailableRestart", "runOnReadyRestart"],
  ["runOnUnavailable", "runOnNotReady"],
] as const;

/**
 * A path config (or pathDefaults) read from a node, with current hook names: on nodes before
 * v1.19.3 `runOnReady*`/`runOnNotReady` become `runOnAvailable*`/`runOnUnavailable`. Newer
 * nodes already send both spellings and are left alone.
 */
export function pathConfFromWire(raw: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...raw };
  for (const [current, old] of HOOK_RENAMES) {
    if (out[current] === undefined && out[old] !== undefined) {
      out[current] = out[old];
      delete out[old];
    }
  }
  return out;
}

/**
 * A path config body to write to a node: nodes before v1.19.3 reject the current hook names
 * as unknown fields, so they get the old names (the current name wins when both are given).
 */
export function pathConfToWire(
  body: Readonly<Record<string, unknown>>,
  features: MediaMtxFeatures,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...body };
  if (features.runOnAvailable) return out;
  for (const [current, old] of HOOK_RENAMES) {
    if (out[current] !== undefined) {
      out[old] = out[current];
      delete out[current];
    }
  }
  return out;
}
