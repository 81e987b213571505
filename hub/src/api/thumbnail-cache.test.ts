import { describe, expect, it } from "vitest";
import { type Thumbnail, ThumbnailCache } from "./thumbnail-cache.ts";

function picture(bytes: number, tag = 0): Thumbnail {
  return { contentType: "image/jpeg", data: Buffer.alloc(bytes, tag), takenAt: null };
}

/** A loader that counts its calls and answers with `bytes` bytes tagged by call number. */
function loader(bytes = 10) {
  const calls: boolean[] = [];
  const load = async (fresh: boolean) => {
    calls.push(fresh);
    return picture(bytes, calls.length);
  };
  return { calls, load };
}

describe("ThumbnailCache", () => {
  it("serves a thumbnail from memory until its TTL ends, with the remaining max age", async () => {
    let now = 0;
    const cache = new ThumbnailCache({ ttlMs: 10_000, now: () => now });
    const { calls, load } = loader();
    const first = await cache.get("a", load);
    now = 4_000;
    const hit = await cache.get("a", load);
    now = 10_000;
    const expired = await cache.get("a", load);
    expect({
      calls,
      ages: [first.maxAgeMs, hit.maxAgeMs, expired.maxAgeMs],
      tags: [first.data[0], hit.data[0], expired.data[0]],
    }).toEqual({ calls: [false, false], ages: [10_000, 6_000, 10_000], tags: [1, 1, 2] });
  });

  it("shares one load between concurrent requests; fresh loads again and replaces the entry", async () => {
    const cache = new ThumbnailCache();
    const { calls, load } = loader();
    const together = await Promise.all([cache.get("a", load), cache.get("a", load), cache.get("b", load)]);
    // While a fresh one loads, a plain request is still served the cached picture at once.
    const fresh = await Promise.all([cache.get("a", load, true), cache.get("a", load)]);
    const after = await cache.get("a", load);
    expect({
      calls,
      tags: together.map((t) => t.data[0]),
      fresh: fresh.map((t) => t.data[0]),
      after: after.data[0],
    }).toEqual({ calls: [false, false, true], tags: [1, 1, 2], fresh: [3, 1], after: 3 });
  });

  it("keeps at most maxEntries and maxBytes, dropping the least recently used first", async () => {
    const cache = new ThumbnailCache({ maxEntries: 3, maxBytes: 250 });
    const { calls, load } = loader(100);
    await cache.get("a", load);
    await cache.get("b", load);
    await cache.get("a", load); // a is now the most recent
    await cache.get("c", load); // 300 bytes > 250: b goes
    const [sizeAfterC, bytesAfterC] = [cache.size, cache.bytes];
    await cache.get("a", load);
    await cache.get("b", load);
    expect({ calls: calls.length, sizeAfterC, bytesAfterC, bytes: cache.bytes }).toEqual({
      calls: 4,
      sizeAfterC: 2,
      bytesAfterC: 200,
      bytes: 200,
    });
  });

  it("does not keep failures: the next request asks again", async () => {
    const cache = new ThumbnailCache();
    let calls = 0;
    const failing = async (): Promise<Thumbnail> => {
      calls += 1;
      throw new Error("agent busy");
    };
    await expect(cache.get("a", failing)).rejects.toThrow("agent busy");
    await expect(cache.get("a", failing)).rejects.toThrow("agent busy");
    expect([calls, cache.size]).toEqual([2, 0]);
  });
});
