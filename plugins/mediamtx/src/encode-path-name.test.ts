import { describe, expect, it } from "vitest";
import { encodePathName } from "./encode-path-name.ts";

describe("encodePathName", () => {
  it("keeps slashes literal", () => {
    expect(encodePathName("site1/cam7")).toBe("site1/cam7");
  });

  it("percent-encodes every reserved character of a regex name", () => {
    expect(encodePathName("~^cam(\\d+)$")).toBe("~%5Ecam%28%5Cd%2B%29%24");
    expect(encodePathName("a?b#c%d e+f")).toBe("a%3Fb%23c%25d%20e%2Bf");
  });

  it("round-trips through URL decoding", () => {
    const name = "~^(site|lab)/cam[0-9]{1,3}.*$";
    expect(decodeURIComponent(encodePathName(name))).toBe(name);
    expect(new URL(`http://h/v3/config/paths/get/${encodePathName(name)}`).pathname).toBe(
      `/v3/config/paths/get/${encodePathName(name)}`,
    );
  });
});
