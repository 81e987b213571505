import { MtxError } from "@mtx-fleet/plugin-api";
import { describe, expect, it } from "vitest";
import { LoginRateLimiter } from "./login-rate-limiter.ts";

function refusal(limiter: LoginRateLimiter, key: string, now: number): unknown {
  try {
    limiter.check(key, now);
    return "allowed";
  } catch (error) {
    return MtxError.is(error) ? [error.code, error.details] : error;
  }
}

describe("LoginRateLimiter", () => {
  it("refuses a key after its failures until the oldest leaves the window, and a success clears it", () => {
    const limiter = new LoginRateLimiter({ maxFailures: 3, windowMs: 1_000 });
    for (const at of [0, 100, 200]) limiter.failed("a", at);
    expect([refusal(limiter, "a", 300), refusal(limiter, "b", 300), refusal(limiter, "a", 1_001)]).toEqual([
      ["MTX_RATE_LIMITED", { retryAfterMs: 700 }],
      "allowed",
      "allowed",
    ]);
    limiter.failed("b", 0);
    limiter.failed("b", 1);
    limiter.succeeded("b");
    limiter.failed("b", 2);
    expect(refusal(limiter, "b", 3)).toBe("allowed");
  });
});
