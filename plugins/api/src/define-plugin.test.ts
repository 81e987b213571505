// Type tests: checked by the suite's typecheck step (tsc), asserted at runtime by expectTypeOf.
import { describe, expectTypeOf, it } from "vitest";
import { definePlugin, type PluginDefinition } from "./define-plugin.ts";
import { Type } from "./index.ts";
import type { PluginContext } from "./plugin-context.ts";

describe("definePlugin types", () => {
  it("gives setup the static type of the config schema", () => {
    const plugin = definePlugin({
      manifest: { name: "typed", version: "1.0.0", apiRange: "^1.0.0" },
      config: Type.Object({
        intervalMs: Type.Integer(),
        mode: Type.Union([Type.Literal("a"), Type.Literal("b")]),
      }),
      setup: (ctx, config) => {
        expectTypeOf(ctx).toEqualTypeOf<PluginContext>();
        expectTypeOf(config.intervalMs).toEqualTypeOf<number>();
        expectTypeOf(config.mode).toEqualTypeOf<"a" | "b">();
        return {
          reconfigure: (next) => {
            expectTypeOf(next.mode).toEqualTypeOf<"a" | "b">();
          },
        };
      },
    });
    expectTypeOf(plugin).toExtend<PluginDefinition>();
  });

  it("rejects a manifest without apiRange and hooks with the wrong shape", () => {
    definePlugin({
      // @ts-expect-error apiRange is required
      manifest: { name: "x", version: "1.0.0" },
      config: Type.Object({}),
      setup: () => ({}),
    });
    definePlugin({
      manifest: { name: "x", version: "1.0.0", apiRange: "^1.0.0" },
      config: Type.Object({}),
      // @ts-expect-error health must return a PluginHealth
      setup: () => ({ health: () => ({ status: "great" }) }),
    });
  });

  it("types events extended by module augmentation", () => {
    const emit: PluginContext["events"]["emit"] = () => {};
    emit("plugin.state", { plugin: "p", state: "running" });
    // @ts-expect-error unknown event names are refused
    emit("no.such.event", {});
  });
});
