import { describe, expect, it } from "vitest";
import { formatGoRfc3339Nano, parseRfc3339 } from "./rfc3339.ts";

const T = Date.UTC(2024, 6, 1, 10, 20, 30) * 1000;

describe("formatGoRfc3339Nano", () => {
  it("trims fraction zeros and prints Z only for a zero offset", () => {
    expect([
      formatGoRfc3339Nano(T + 123_450, "Europe/Berlin"),
      formatGoRfc3339Nano(T, "Europe/Berlin"),
      formatGoRfc3339Nano(T + 1, "UTC"),
      formatGoRfc3339Nano(T, "America/New_York"),
      formatGoRfc3339Nano(Date.UTC(2024, 0, 1) * 1000, "Europe/London"),
    ]).toEqual([
      "2024-07-01T12:20:30.12345+02:00",
      "2024-07-01T12:20:30+02:00",
      "2024-07-01T10:20:30.000001Z",
      "2024-07-01T06:20:30-04:00",
      "2024-01-01T00:00:00Z",
    ]);
  });
});

describe("parseRfc3339", () => {
  it("keeps the written offset and truncates to microseconds", () => {
    expect([
      parseRfc3339("2024-07-01T12:20:30.123456789+02:00"),
      parseRfc3339("2024-07-01T10:20:30Z"),
      parseRfc3339("2024-07-01T06:20:30.5-04:00"),
    ]).toEqual([
      { epochMicros: T + 123_456, offsetSeconds: 7200 },
      { epochMicros: T, offsetSeconds: 0 },
      { epochMicros: T + 500_000, offsetSeconds: -14_400 },
    ]);
  });

  it("rejects what Go's RFC3339 layout rejects", () => {
    expect(
      ["2024-07-01 10:20:30Z", "2024-07-01T10:20:30", "yesterday", "2024-13-01T00:00:00Z"].map(parseRfc3339),
    ).toEqual([undefined, undefined, undefined, undefined]);
  });
});
