import { describe, expect, it } from "vitest";
import { percentile } from "./api-latency.ts";

describe("percentile", () => {
  it("takes the nearest rank", () => {
    const values = Array.from({ length: 200 }, (_, i) => i + 1);
    expect([percentile(values, 0.5), percentile(values, 0.99), percentile(values, 1)]).toEqual([
      100, 198, 200,
    ]);
  });

  it("is NaN for no samples and the only value for one", () => {
    expect([percentile([], 0.5), percentile([7], 0.99)]).toEqual([Number.NaN, 7]);
  });
});
