import { describe, expect, it } from "vitest";
import { createUuidV7Generator } from "./uuidv7.ts";

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function timestampOf(id: string): number {
  return Number.parseInt(id.replaceAll("-", "").slice(0, 12), 16);
}

describe("createUuidV7Generator", () => {
  it("makes RFC 9562 version-7 ids carrying the clock's millisecond", () => {
    const next = createUuidV7Generator(() => 1_750_000_123_456);
    const id = next();
    expect(id).toMatch(UUID_V7);
    expect(timestampOf(id)).toBe(1_750_000_123_456);
  });

  it("keeps ids strictly increasing within one millisecond and when the clock steps back", () => {
    let now = 1_750_000_000_000;
    const next = createUuidV7Generator(() => now);
    const ids: string[] = [];
    for (let i = 0; i < 10_000; i += 1) ids.push(next()); // overflows the 12-bit counter
    now -= 60_000;
    for (let i = 0; i < 10; i += 1) ids.push(next());
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    expect(ids.every((id) => UUID_V7.test(id))).toBe(true);
  });
});
