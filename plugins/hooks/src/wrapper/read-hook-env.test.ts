import { describe, expect, it } from "vitest";
import { readHookEnv } from "./read-hook-env.ts";

const entry = (text: string | Buffer): Buffer =>
  typeof text === "string" ? Buffer.from(text, "utf8") : text;

describe("readHookEnv", () => {
  it("forwards the hook variables and capture groups, and nothing else of MediaMTX's environment", () => {
    const raw = [
      "MTX_PATH=cam/1",
      "MTX_QUERY=a%3D1",
      "MTX_SOURCE_TYPE=rtmpConn",
      "RTSP_PORT=8554",
      "G1=7",
      "MTX_X=kept with --var",
      // MediaMTX config overrides and the wrapper's own settings may hold secrets.
      "MTX_PATHS_CAM_READPASS=secret",
      "MTX_HOOK_TOKEN=0123456789abcdef",
      "HOME=/root",
      "NOEQUALS",
    ].map(entry);
    expect(readHookEnv(raw, ["MTX_X"])).toEqual({
      env: {
        MTX_PATH: "cam/1",
        MTX_QUERY: "a%3D1",
        MTX_SOURCE_TYPE: "rtmpConn",
        RTSP_PORT: "8554",
        G1: "7",
        MTX_X: "kept with --var",
      },
      envBase64: {},
    });
  });

  it("keeps values byte for byte: '=' and newlines inside, invalid UTF-8 as base64", () => {
    const invalid = Buffer.concat([Buffer.from("MTX_QUERY=a"), Buffer.from([0xff, 0xfe, 0x00 + 0x41])]);
    const raw = [entry("MTX_PATH=x=y\nz"), entry("MTX_SOURCE_ID="), invalid];
    expect(readHookEnv(raw)).toEqual({
      env: { MTX_PATH: "x=y\nz", MTX_SOURCE_ID: "" },
      envBase64: { MTX_QUERY: Buffer.from([0x61, 0xff, 0xfe, 0x41]).toString("base64") },
    });
  });
});
