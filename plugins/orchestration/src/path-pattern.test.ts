import { MtxError } from "@mtx-fleet/plugin-api";
import { describe, expect, it } from "vitest";
import { compilePathPattern } from "./path-pattern.ts";

describe("compilePathPattern", () => {
  it("matches a template with named captures against the whole path, one segment per capture", () => {
    const pattern = compilePathPattern("live/{streamId}/in");
    expect(pattern.captures).toEqual(["streamId"]);
    expect(pattern.match("live/abc-1/in")).toEqual({ streamId: "abc-1" });
    expect(pattern.match("live/a/b/in")).toBeNull();
    expect(pattern.match("live/abc/in/x")).toBeNull();
    expect(pattern.match("xlive/abc/in")).toBeNull();
    expect(pattern.match("live//in")).toBeNull();
  });

  it("takes regex characters of a template literally", () => {
    const pattern = compilePathPattern("cam.{site}+{n}");
    expect(pattern.match("cam.paris+7")).toEqual({ site: "paris", n: "7" });
    expect(pattern.match("camXparis+7")).toBeNull();
  });

  it("accepts a MediaMTX-style ~regex, anchored, with JS or RE2 named groups and G1… for unnamed ones", () => {
    const named = compilePathPattern("~^live/(?P<streamId>[a-z0-9]+)/(in|backup)$");
    expect(named.captures).toEqual(["streamId", "G1"]);
    expect(named.match("live/s1/backup")).toEqual({ streamId: "s1", G1: "backup" });
    // Matched against the whole name, as MediaMTX does, even without ^…$.
    const bare = compilePathPattern("~cam/(\\d+)");
    expect(bare.match("cam/12")).toEqual({ G1: "12" });
    expect(bare.match("xcam/12")).toBeNull();
    expect(compilePathPattern("~^(?:a|b)/(?<id>[^/]+)$").captures).toEqual(["id"]);
    expect(compilePathPattern("~^[(]x[)]/(\\w+)$").match("(x)/y")).toEqual({ G1: "y" });
  });

  it.each([
    ["live/{stream-id}/in", "has an invalid capture name '{stream-id}'"],
    ["live/{id}/{id}", "captures '{id}' twice"],
    ["live/{id/in", "has a '{' without '}'"],
    ["live/id}/in", "has a '}' without '{'"],
    ["~live/(", "is not a valid regular expression"],
    ["", "is empty"],
  ])("refuses %j: %s", (source, problem) => {
    expect(() => compilePathPattern(source)).toThrow(MtxError);
    expect(() => compilePathPattern(source)).toThrow(problem);
  });
});
