import { describe, expect, it } from "vitest";
import { MtxError } from "./mtx-error.ts";

describe("MtxError", () => {
  it("serialises to {code, message, details}", () => {
    const error = new MtxError("MTX_MEDIAMTX_NOT_FOUND", "path 'cam/1' not found", {
      details: { path: "cam/1" },
    });
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      code: "MTX_MEDIAMTX_NOT_FOUND",
      message: "path 'cam/1' not found",
      details: { path: "cam/1" },
    });
  });

  it("leaves details out of the JSON when there are none", () => {
    expect(new MtxError("MTX_INTERNAL", "boom").toJSON()).toEqual({ code: "MTX_INTERNAL", message: "boom" });
  });

  it("wraps a foreign error under a code and keeps it as cause", () => {
    const cause = new TypeError("fetch failed");
    const error = MtxError.from(cause, "MTX_MEDIAMTX_UNREACHABLE");
    expect([error.code, error.message, error.cause]).toEqual([
      "MTX_MEDIAMTX_UNREACHABLE",
      "fetch failed",
      cause,
    ]);
  });

  it("returns an MtxError unchanged from from()", () => {
    const original = new MtxError("MTX_MEDIAMTX_TIMEOUT", "slow");
    expect(MtxError.from(original, "MTX_INTERNAL")).toBe(original);
  });

  it("recognises its instances and codes with is()", () => {
    const error = new MtxError("MTX_MEDIAMTX_TIMEOUT", "slow");
    expect([
      MtxError.is(error),
      MtxError.is(error, "MTX_MEDIAMTX_TIMEOUT"),
      MtxError.is(error, "MTX_INTERNAL"),
    ]).toEqual([true, true, false]);
    expect(MtxError.is(new Error("x"))).toBe(false);
  });
});
