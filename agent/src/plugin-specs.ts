import { MtxError, type PluginDefinition } from "@mtx-fleet/plugin-api";
import type { PluginConfigEntry } from "./config/agent-config-schema.ts";
import { loadPluginModule } from "./plugins/load-plugin-module.ts";
import type { PluginSpec } from "./plugins/plugin-host.ts";

/**
 * The plugins to run: every built-in unless disabled, plus external plugins named with
 * `module`. A plugin that cannot be loaded becomes a spec carrying its error, so the host
 * shows it as failed while everything else runs.
 */
export async function pluginSpecs(
  entries: Readonly<Record<string, PluginConfigEntry>>,
  builtins: readonly PluginDefinition[],
  baseDir: string,
): Promise<PluginSpec[]> {
  const specs: PluginSpec[] = [];
  const byName = new Map(builtins.map((plugin) => [plugin.manifest.name, plugin]));
  for (const builtin of builtins) {
    const entry = entries[builtin.manifest.name];
    if (entry?.enabled === false || entry?.module !== undefined) continue;
    specs.push({
      name: builtin.manifest.name,
      source: "built-in",
      definition: builtin,
      config: entry?.config ?? {},
    });
  }
  for (const [name, entry] of Object.entries(entries)) {
    if (!entry.enabled || (byName.has(name) && entry.module === undefined)) continue;
    if (entry.module === undefined) {
      const error = new MtxError(
        "MTX_PLUGIN_INVALID",
        `plugins.${name}: there is no built-in plugin '${name}'; set 'module' to its package name or path`,
        { details: { plugin: name, builtins: [...byName.keys()] } },
      );
      specs.push({ name, source: "config", definition: error, config: entry.config });
      continue;
    }
    let definition: PluginDefinition | MtxError;
    try {
      definition = await loadPluginModule(entry.module, baseDir);
      if (definition.manifest.name !== name) {
        definition = new MtxError(
          "MTX_PLUGIN_INVALID",
          `plugins.${name}: module '${entry.module}' is plugin '${definition.manifest.name}'; use that name as the key`,
          { details: { plugin: name, manifestName: definition.manifest.name } },
        );
      }
    } catch (error) {
      definition = MtxError.from(error, "MTX_PLUGIN_INVALID");
    }
    specs.push({ name, source: entry.module, definition, config: entry.config });
  }
  return specs;
}
