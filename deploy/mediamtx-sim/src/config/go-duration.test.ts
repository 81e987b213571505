import { describe, expect, it } from "vitest";
import { GoDuration } from "./go-duration.ts";

describe("GoDuration", () => {
  it("formats like Go's Duration.String", () => {
    const s = 1_000_000_000n;
    expect(
      [0n, 200_000_000n, 10n * s, 60n * s, 90n * s, 3600n * s, 1_500_000_000n, 1500n].map(GoDuration.format),
    ).toEqual(["0s", "200ms", "10s", "1m0s", "1m30s", "1h0m0s", "1.5s", "1.5µs"]);
  });

  it("renders conf durations with a day part and zero as empty string", () => {
    const h = 3_600_000_000_000n;
    expect([0n, 24n * h, 26n * h, h].map((ns) => GoDuration.formatConf(ns, true))).toEqual([
      "",
      "1d",
      "1d2h0m0s",
      "1h0m0s",
    ]);
  });

  it("parses Go durations and the day prefix", () => {
    expect(GoDuration.parseConf("1d2h")).toBe(26n * 3_600_000_000_000n);
    expect(GoDuration.parse("1h30m")).toBe(5_400_000_000_000n);
    expect(GoDuration.parse("0")).toBe(0n);
  });

  it("rejects garbage with Go's message", () => {
    expect(() => GoDuration.parse("abc")).toThrow('time: invalid duration "abc"');
  });
});
