/**
 * The version of this plugin API. A plugin's manifest names the range it supports
 * (`apiRange: "^1.0.0"`); the host refuses to run a plugin whose range excludes it.
 */
export const PLUGIN_API_VERSION = "1.0.0";
