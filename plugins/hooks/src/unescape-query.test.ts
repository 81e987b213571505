import { describe, expect, it } from "vitest";
import { goQueryUnescape, queryLooksEscaped } from "./unescape-query.ts";

describe("goQueryUnescape", () => {
  it.each([
    ["a%3D1%26b%3D2", "a=1&b=2"],
    ["x+y%2By", "x y+y"],
    ["%24%28touch+%2Ftmp%2Fpwned%29%22%27%0A", "$(touch /tmp/pwned)\"'\n"],
    ["%C3%BC%E2%82%AC", "ü€"],
    ["plain", "plain"],
  ])("reads %s as %s (what Go's url.QueryEscape made of it)", (escaped, raw) => {
    expect(goQueryUnescape(escaped)).toBe(raw);
  });

  it("returns null where Go's QueryUnescape fails, and U+FFFD for bytes that are not UTF-8", () => {
    expect(goQueryUnescape("100%")).toBeNull();
    expect(goQueryUnescape("%zz")).toBeNull();
    expect(goQueryUnescape("a%FFb")).toBe("a\uFFFDb");
  });
});

describe("queryLooksEscaped", () => {
  it("follows the node's version when known, else the query's shape", () => {
    expect(queryLooksEscaped("a=1", true)).toBe(true);
    expect(queryLooksEscaped("a%3D1", false)).toBe(false);
    expect(queryLooksEscaped("a%3D1%26b", null)).toBe(true);
    expect(queryLooksEscaped("a=1&b=2", null)).toBe(false);
    expect(queryLooksEscaped("100%", null)).toBe(false);
  });
});
