import { describe, expect, it } from "vitest";
import { featuresForVersion, parseMediaMtxVersion } from "./features.ts";

describe("parseMediaMtxVersion", () => {
  it("reads tags, untagged builds and dirty builds", () => {
    expect(parseMediaMtxVersion("v1.20.1")).toEqual([1, 20, 1]);
    expect(parseMediaMtxVersion("v1.20.1-6-g3e09466c")).toEqual([1, 20, 1]);
    expect(parseMediaMtxVersion("v1.9.3-dirty")).toEqual([1, 9, 3]);
  });

  it("treats v0.0.0 and garbage as unknown", () => {
    expect(parseMediaMtxVersion("v0.0.0")).toBeNull();
    expect(parseMediaMtxVersion("latest")).toBeNull();
  });
});

describe("featuresForVersion", () => {
  it("gives a node without /v3/info none of the tracked features", () => {
    expect(featuresForVersion(null)).toEqual({
      info: false,
      jsonEnvelope: false,
      available: false,
      inboundBytes: false,
      hlsSessions: false,
      moq: false,
      runOnAvailable: false,
      forward: false,
      redactsSecrets: false,
    });
  });

  it("follows the version table at its boundaries", () => {
    expect(featuresForVersion("v1.19.2")).toEqual({
      info: true,
      jsonEnvelope: true,
      available: true,
      inboundBytes: true,
      hlsSessions: true,
      moq: true,
      runOnAvailable: false,
      forward: false,
      redactsSecrets: false,
    });
    expect(featuresForVersion("v1.20.0")).toMatchObject({
      runOnAvailable: true,
      forward: true,
      redactsSecrets: false,
    });
    expect(featuresForVersion("v1.20.1")).toMatchObject({ forward: true, redactsSecrets: true });
    expect(featuresForVersion("v1.15.4")).toMatchObject({
      info: true,
      jsonEnvelope: false,
      available: false,
    });
  });

  it("assumes a current build when the version cannot be parsed", () => {
    expect(Object.values(featuresForVersion("v0.0.0")).every((x) => x)).toBe(true);
  });
});
