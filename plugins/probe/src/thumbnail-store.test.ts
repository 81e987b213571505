import { readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createTempDir } from "@mtx-fleet/testkit";
import { describe, expect, it } from "vitest";
import { ThumbnailStore } from "./thumbnail-store.ts";

const jpeg = (size: number, fill: number): Uint8Array => new Uint8Array(size).fill(fill);

describe("ThumbnailStore", () => {
  it("keeps one file per stream, replaces it whole, and survives a reopen", async () => {
    await using dir = await createTempDir("thumbs-");
    const store = await ThumbnailStore.open({ dir: dir.path, maxCount: 10, maxBytes: 1_000_000 });
    expect(await store.put("cam/1", jpeg(100, 1), 1_000)).toBe(true);
    expect(await store.put("cam/1", jpeg(120, 2), 2_000)).toBe(true);
    expect(await readdir(dir.path)).toEqual(["cam%2F1.jpg"]);
    // A temp file left by a crash is removed at open.
    await writeFile(join(dir.path, ".cam%2F1.jpg.abcd.tmp"), "half");
    const reopened = await ThumbnailStore.open({ dir: dir.path, maxCount: 10, maxBytes: 1_000_000 });
    const got = await reopened.get("cam/1");
    expect([got?.takenAt, got?.bytes, got?.jpeg[0]]).toEqual([2_000, 120, 2]);
    expect(await readdir(dir.path)).toEqual(["cam%2F1.jpg"]);
  });

  it("evicts the oldest beyond maxCount or maxBytes, and refuses one larger than maxBytes", async () => {
    await using dir = await createTempDir("thumbs-");
    const store = await ThumbnailStore.open({ dir: dir.path, maxCount: 2, maxBytes: 250 });
    await store.put("a", jpeg(100, 1), 1);
    await store.put("b", jpeg(100, 1), 2);
    await store.put("c", jpeg(100, 1), 3);
    expect(store.list().map((t) => t.path)).toEqual(["b", "c"]);
    await store.put("b", jpeg(200, 1), 4);
    expect([store.list().map((t) => t.path), store.totalBytes]).toEqual([["b"], 200]);
    expect(await store.put("huge", jpeg(251, 1), 5)).toBe(false);
    expect((await readdir(dir.path)).sort()).toEqual(["b.jpg"]);
    expect(await store.get("a")).toBeUndefined();
  });
});
