import { describe, expect, it } from "vitest";
import { escapeQueryForHook, goQueryEscape } from "./go-query-escape.ts";
import { formatGoSeconds } from "./hook-vars.ts";

describe("goQueryEscape (url.QueryEscape)", () => {
  it.each([
    ["a=1&b=2", "a%3D1%26b%3D2"],
    ["x y+z", "x+y%2Bz"],
    ["safe-_.~AZaz09", "safe-_.~AZaz09"],
    ["!'()*/:?#", "%21%27%28%29%2A%2F%3A%3F%23"],
    ["é", "%C3%A9"],
    ["", ""],
  ])("escapes %j", (input, expected) => {
    expect(goQueryEscape(input)).toBe(expected);
  });
});

describe("escapeQueryForHook", () => {
  it("escapes from v1.18.1 on and passes the raw query before", () => {
    expect(
      ["v1.20.1", "v1.18.1", "v1.18.0", "v1.9.3", "unknown"].map((v) => escapeQueryForHook("a=1&b=2", v)),
    ).toEqual(["a%3D1%26b%3D2", "a%3D1%26b%3D2", "a=1&b=2", "a=1&b=2", "a%3D1%26b%3D2"]);
  });
});

describe("formatGoSeconds (strconv.FormatFloat 'f', -1)", () => {
  it.each([
    [3600.04, "3600.04"],
    [2, "2"],
    [0.5, "0.5"],
    [1e-7, "0.0000001"],
    [1.5e21, "1500000000000000000000"],
  ])("formats %d", (input, expected) => {
    expect(formatGoSeconds(input)).toBe(expected);
  });
});
