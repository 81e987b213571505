import { isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { MtxError, type PluginDefinition } from "@mtx-fleet/plugin-api";
import { checkPluginDefinition } from "./check-manifest.ts";

/**
 * Loads an external plugin named in the agent config: a package name (resolved from the
 * agent's node_modules) or a file path (relative to `baseDir`). The module's default export,
 * or its export named `plugin`, must be a plugin definition.
 */
export async function loadPluginModule(specifier: string, baseDir: string): Promise<PluginDefinition> {
  const isPath = specifier.startsWith(".") || isAbsolute(specifier);
  const target = isPath ? pathToFileURL(resolve(baseDir, specifier)).href : specifier;
  let module: Record<string, unknown>;
  try {
    module = (await import(target)) as Record<string, unknown>;
  } catch (error) {
    throw new MtxError(
      "MTX_PLUGIN_INVALID",
      `cannot load plugin '${specifier}': ${error instanceof Error ? error.message : String(error)}`,
      { cause: error, details: { source: specifier } },
    );
  }
  return checkPluginDefinition(module.default ?? module.plugin, `plugin module '${specifier}'`);
}
