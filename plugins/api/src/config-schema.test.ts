import Type from "typebox";
import { describe, expect, it } from "vitest";
import { configJsonSchema, parseConfig } from "./config-schema.ts";
import { MtxError } from "./mtx-error.ts";

const schema = Type.Object(
  {
    intervalMs: Type.Integer({ minimum: 100, default: 2000 }),
    thresholds: Type.Object(
      { freezeSeconds: Type.Number({ minimum: 1, default: 5 }) },
      { default: {}, additionalProperties: false },
    ),
    mode: Type.Union([Type.Literal("fast"), Type.Literal("thorough")], { default: "fast" }),
  },
  { additionalProperties: false },
);

function issuesOf(input: unknown): unknown {
  try {
    parseConfig(schema, input, "plugins.probe.config");
  } catch (error) {
    if (MtxError.is(error, "MTX_INVALID_INPUT")) return error.details?.issues;
    throw error;
  }
  throw new Error("expected parseConfig to throw");
}

describe("parseConfig", () => {
  it("fills defaults and freezes the result", () => {
    const config = parseConfig(schema, {});
    expect(config).toEqual({ intervalMs: 2000, thresholds: { freezeSeconds: 5 }, mode: "fast" });
    expect([Object.isFrozen(config), Object.isFrozen(config.thresholds)]).toEqual([true, true]);
  });

  it("does not modify its input", () => {
    const input = { thresholds: {} };
    parseConfig(schema, input);
    expect(input).toEqual({ thresholds: {} });
  });

  it("names each wrong field with the fix, under the given prefix", () => {
    expect(issuesOf({ intervalMs: 5, thresholds: { freezeSeconds: 0 }, mode: "slow", extra: true })).toEqual([
      {
        path: "plugins.probe.config",
        message: "plugins.probe.config.extra: unknown option (remove it or check its spelling)",
      },
      { path: "plugins.probe.config.intervalMs", message: "plugins.probe.config.intervalMs must be >= 100" },
      {
        path: "plugins.probe.config.thresholds.freezeSeconds",
        message: "plugins.probe.config.thresholds.freezeSeconds must be >= 1",
      },
      {
        path: "plugins.probe.config.mode",
        message: 'plugins.probe.config.mode must be one of "fast", "thorough"',
      },
    ]);
  });

  it("puts every issue into the error message", () => {
    expect(() => parseConfig(schema, { intervalMs: "often" })).toThrow(
      "invalid config: intervalMs must be integer",
    );
  });
});

describe("configJsonSchema", () => {
  it("exports a plain JSON Schema with defaults and limits", () => {
    const json = configJsonSchema(schema) as { properties: Record<string, unknown> };
    expect(json.properties.intervalMs).toEqual({ type: "integer", minimum: 100, default: 2000 });
  });
});
