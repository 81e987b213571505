// biome-ignore-all lint/suspicious/noTemplateCurlyInString: literal ${VAR} syntax is what these tests feed in
import { describe, expect, it } from "vitest";
import { expandVariables } from "./expand-variables.ts";

const vars = { MTX_PATH: "cam/1", G1: "1", HOME: "/from/hook" };
const env = { HOME: "/root", USER: "mtx", "1": "one" };

describe("expandVariables (Go os.Expand with MediaMTX's mapping)", () => {
  it.each([
    ["$MTX_PATH", "cam/1"],
    ["${MTX_PATH}.mp4", "cam/1.mp4"],
    ["rtsp://localhost/$MTX_PATH?x=1", "rtsp://localhost/cam/1?x=1"],
    ["$HOME", "/from/hook"],
    ["$USER", "mtx"],
    ["$UNKNOWN_VAR-x", "-x"],
    ["$MTX_PATHX", ""],
    ["$G1$G1", "11"],
    ["$1", "one"],
    ["$(rm -rf /)", "$(rm -rf /)"],
    ["cost $ 5", "cost $ 5"],
    ["trailing$", "trailing$"],
    ["${}x", "x"],
    ["${unclosed", "unclosed"],
    ["$$", ""],
    ["${#}", ""],
    ["no vars", "no vars"],
  ])("expands %j", (input, expected) => {
    expect(expandVariables(input, vars, env)).toBe(expected);
  });
});
