import { MtxError, PLUGIN_API_VERSION, type PluginDefinition } from "@mtx-fleet/plugin-api";
import semver from "semver";

const NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/**
 * Checks that `value` is a plugin definition whose manifest this host can run, before any of
 * its code is called. Throws `MTX_PLUGIN_INVALID` or `MTX_PLUGIN_API_MISMATCH`.
 */
export function checkPluginDefinition(value: unknown, source: string): PluginDefinition {
  const candidate = value as Partial<PluginDefinition> | null;
  if (typeof candidate !== "object" || candidate === null || typeof candidate.setup !== "function") {
    throw new MtxError("MTX_PLUGIN_INVALID", `${source} does not export a plugin (use definePlugin)`, {
      details: { source },
    });
  }
  const manifest = candidate.manifest;
  const problems: string[] = [];
  if (typeof manifest !== "object" || manifest === null) problems.push("manifest is missing");
  else {
    if (typeof manifest.name !== "string" || !NAME.test(manifest.name))
      problems.push("manifest.name must be kebab-case, e.g. 'my-plugin'");
    if (typeof manifest.version !== "string" || semver.valid(manifest.version) === null)
      problems.push("manifest.version must be a semver version, e.g. '1.0.0'");
    if (typeof manifest.apiRange !== "string" || semver.validRange(manifest.apiRange) === null)
      problems.push("manifest.apiRange must be a semver range, e.g. '^1.0.0'");
    const deps = manifest.dependencies;
    if (deps !== undefined && (!Array.isArray(deps) || deps.some((d) => typeof d !== "string")))
      problems.push("manifest.dependencies must be a list of plugin names");
  }
  if (typeof candidate.config !== "object" || candidate.config === null)
    problems.push("config must be a schema (Type.Object({...}))");
  if (problems.length > 0 || manifest === undefined) {
    throw new MtxError("MTX_PLUGIN_INVALID", `${source}: ${problems.join("; ")}`, {
      details: { source, problems },
    });
  }
  if (!semver.satisfies(PLUGIN_API_VERSION, manifest.apiRange)) {
    throw new MtxError(
      "MTX_PLUGIN_API_MISMATCH",
      `plugin '${manifest.name}' supports plugin API ${manifest.apiRange}, this agent has ${PLUGIN_API_VERSION}`,
      { details: { plugin: manifest.name, apiRange: manifest.apiRange, apiVersion: PLUGIN_API_VERSION } },
    );
  }
  return candidate as PluginDefinition;
}
