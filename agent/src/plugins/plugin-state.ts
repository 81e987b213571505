import type { MtxErrorBody } from "@mtx-fleet/plugin-api";

/**
 * Where a plugin is in its life. `failed` with `retryAt: null` is final (bad manifest, bad
 * config, missing dependency); otherwise the host restarts it at `retryAt`.
 */
export type PluginState =
  | { readonly kind: "pending" }
  | { readonly kind: "blocked"; readonly waitingFor: readonly string[] }
  | { readonly kind: "starting" }
  | { readonly kind: "running"; readonly since: number }
  | { readonly kind: "failed"; readonly error: MtxErrorBody; readonly retryAt: number | null }
  | { readonly kind: "stopping" }
  | { readonly kind: "stopped" };

export type PluginStateKind = PluginState["kind"];

/** Every state kind, for metrics that export one series per state. */
export const PLUGIN_STATE_KINDS = [
  "pending",
  "blocked",
  "starting",
  "running",
  "failed",
  "stopping",
  "stopped",
] as const satisfies readonly PluginStateKind[];
