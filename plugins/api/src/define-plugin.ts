import type { Static, TSchema } from "typebox";
import type { PluginContext } from "./plugin-context.ts";

/** What a plugin declares about itself; the host checks it before running anything. */
export interface PluginManifest {
  /** Unique, kebab-case (`probe`, `system-metrics`, `acme-alerts`). */
  readonly name: string;
  /** The plugin's own version (semver). */
  readonly version: string;
  /** The plugin API versions it supports, as a semver range (`^1.0.0`). */
  readonly apiRange: string;
  /** Names of plugins that must run (and start) before this one. */
  readonly dependencies?: readonly string[];
  readonly description?: string;
}

/** How a plugin reports its own health (besides the host's view of it). */
export type PluginHealth =
  | { readonly status: "ok" }
  | { readonly status: "degraded"; readonly reason: string }
  | { readonly status: "failed"; readonly reason: string };

/** The hooks `setup` returns; every one is optional and guarded and timed by the host. */
export interface PluginInstance<C> {
  /** Begin work (after every dependency has started). */
  start?(): Promise<void> | void;
  /** Stop work and release what is not registered through the context. */
  stop?(): Promise<void> | void;
  /** Take a new config without a restart; when absent, a config change restarts the plugin. */
  reconfigure?(config: Readonly<C>): Promise<void> | void;
  health?(): PluginHealth | Promise<PluginHealth>;
}

/** A plugin: its manifest, its config schema (a TypeBox/JSON schema) and its setup. */
export interface PluginDefinition<S extends TSchema = TSchema> {
  readonly manifest: PluginManifest;
  readonly config: S;
  setup(
    ctx: PluginContext,
    config: Readonly<Static<S>>,
  ): PluginInstance<Static<S>> | Promise<PluginInstance<Static<S>>>;
}

/**
 * Declares a plugin. The identity function exists for type inference: `config` in `setup`
 * gets the static type of the schema.
 * ```ts
 * export default definePlugin({
 *   manifest: { name: "hello", version: "1.0.0", apiRange: "^1.0.0" },
 *   config: Type.Object({ greeting: Type.String({ default: "hi" }) }),
 *   setup: (ctx, config) => ({ start: () => ctx.logger.info({}, config.greeting) }),
 * });
 * ```
 */
export function definePlugin<S extends TSchema>(definition: PluginDefinition<S>): PluginDefinition<S> {
  return definition;
}
