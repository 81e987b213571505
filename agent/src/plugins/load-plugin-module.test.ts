import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { MtxError } from "@mtx-fleet/plugin-api";
import { createTempDir } from "@mtx-fleet/testkit";
import { describe, expect, it } from "vitest";
import { loadPluginModule } from "./load-plugin-module.ts";

async function codeOf(promise: Promise<unknown>): Promise<[string, string]> {
  try {
    await promise;
  } catch (error) {
    if (MtxError.is(error)) return [error.code, error.message];
    throw error;
  }
  throw new Error("expected a rejection");
}

describe("loadPluginModule", () => {
  it("loads a plugin by npm package name (its `plugin` export)", async () => {
    const definition = await loadPluginModule("@mtx-fleet/plugin-system-metrics", import.meta.dirname);
    expect(definition.manifest.name).toBe("system-metrics");
  });

  it("loads a plugin by path relative to the config's directory (its default export)", async () => {
    const definition = await loadPluginModule("../testing/fixtures/flaky-plugin.ts", import.meta.dirname);
    expect(definition.manifest.name).toBe("flaky");
  });

  it("says what is wrong with a module that is missing or is not a plugin", async () => {
    await using dir = await createTempDir("mtx-load-");
    await writeFile(join(dir.path, "not-a-plugin.mjs"), "export default { hello: 1 };\n");
    await writeFile(
      join(dir.path, "bad-manifest.mjs"),
      "export default { manifest: { name: 'Bad Name', version: 'x', apiRange: '^1' }, config: {}, setup() {} };\n",
    );
    expect(await codeOf(loadPluginModule("./missing.mjs", dir.path))).toEqual([
      "MTX_PLUGIN_INVALID",
      expect.stringContaining("cannot load plugin './missing.mjs'"),
    ]);
    expect(await codeOf(loadPluginModule("./not-a-plugin.mjs", dir.path))).toEqual([
      "MTX_PLUGIN_INVALID",
      "plugin module './not-a-plugin.mjs' does not export a plugin (use definePlugin)",
    ]);
    expect(await codeOf(loadPluginModule("./bad-manifest.mjs", dir.path))).toEqual([
      "MTX_PLUGIN_INVALID",
      "plugin module './bad-manifest.mjs': manifest.name must be kebab-case, e.g. 'my-plugin'; manifest.version must be a semver version, e.g. '1.0.0'",
    ]);
  });
});
