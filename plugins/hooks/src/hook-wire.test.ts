import { MEDIAMTX_HOOKS } from "@mtx-fleet/plugin-api";
import { describe, expect, it } from "vitest";
import { SPOOL_FILE_PATTERN, spoolFileName, WRAPPER_HOOKS } from "./hook-wire.ts";

describe("hook wire format", () => {
  it("accepts exactly the hooks of the plugin API", () => {
    expect([...WRAPPER_HOOKS]).toEqual([...MEDIAMTX_HOOKS]);
  });

  it("names spool files so that they sort by time and match the drain's pattern", () => {
    const names = [
      spoolFileName(1_700_000_000_123, "b0c3a2e1-0000-4000-8000-000000000002"),
      spoolFileName(999, "a"),
      spoolFileName(1_700_000_000_100, "ffff"),
    ];
    expect(names.every((name) => SPOOL_FILE_PATTERN.test(name))).toBe(true);
    expect([...names].sort()).toEqual([names[1], names[2], names[0]]);
    expect(SPOOL_FILE_PATTERN.test(`.${names[0]}.123.tmp`)).toBe(false);
  });
});
