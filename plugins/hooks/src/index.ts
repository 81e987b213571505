export {
  DEFAULT_RECEIVER_HOST,
  DEFAULT_RECEIVER_PORT,
  DEFAULT_RECEIVER_URL,
  DEFAULT_SPOOL_DIR,
  DEFAULT_TOKEN_FILE,
  DEFAULT_WRAPPER_TIMEOUT_MS,
  HOOK_ROUTE_PREFIX,
} from "./hook-defaults.ts";
export type { HookWireBody, SpoolFile } from "./hook-wire.ts";
export {
  DEFAULT_DRAIN_INTERVAL_MS,
  DEFAULT_GRACE_MS,
  type HooksConfig,
  hooksConfig,
} from "./hooks-config.ts";
/** The plugin under the name the agent looks for when a config names this package as `module`. */
export { hooksPlugin as plugin, hooksPlugin } from "./hooks-plugin.ts";
