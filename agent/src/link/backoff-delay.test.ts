import { describe, expect, it } from "vitest";
import { backoffDelayMs } from "./backoff-delay.ts";

describe("backoffDelayMs", () => {
  it("doubles the ceiling per attempt up to maxMs", () => {
    const top = { baseMs: 100, maxMs: 1_000, jitter: () => 0.999_999 };
    expect([0, 1, 2, 3, 4, 10, 100].map((attempt) => backoffDelayMs(attempt, top))).toEqual([
      99, 199, 399, 799, 999, 999, 999,
    ]);
  });

  it("draws uniformly below the ceiling (full jitter)", () => {
    expect(
      [0, 0.25, 0.5].map((r) => backoffDelayMs(3, { baseMs: 100, maxMs: 10_000, jitter: () => r })),
    ).toEqual([0, 200, 400]);
  });
});
