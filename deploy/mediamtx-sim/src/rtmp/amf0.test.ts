import { describe, expect, it } from "vitest";
import { decodeAmf0, encodeAmf0, encodeAmf0EcmaArray } from "./amf0.ts";

describe("AMF0", () => {
  it("round-trips the values RTMP commands carry", () => {
    const values = [
      "connect",
      1,
      { app: "live", tcUrl: "rtmp://h/live", fpad: false, capabilities: 15, nested: { a: null } },
      null,
      undefined,
      ["x", 2, true],
    ];
    expect(decodeAmf0(encodeAmf0(values))).toEqual(values);
  });

  it("decodes ECMA arrays (onMetaData) as objects and long strings", () => {
    const meta = encodeAmf0EcmaArray({ width: 320, encoder: "Lavf" });
    expect(decodeAmf0(Buffer.concat([encodeAmf0(["onMetaData"]), meta]))).toEqual([
      "onMetaData",
      { width: 320, encoder: "Lavf" },
    ]);
    const long = "x".repeat(70_000);
    expect(decodeAmf0(encodeAmf0([long]))).toEqual([long]);
  });

  it("rejects truncated data and unknown markers", () => {
    expect(() => decodeAmf0(encodeAmf0(["connect"]).subarray(0, 4))).toThrow("unexpected end");
    expect(() => decodeAmf0(Buffer.from([0x11]))).toThrow("unsupported marker 17");
  });
});
