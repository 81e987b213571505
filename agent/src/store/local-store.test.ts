import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { MtxError } from "@mtx-fleet/plugin-api";
import { createTempDir } from "@mtx-fleet/testkit";
import { describe, expect, it } from "vitest";
import { openLocalStore } from "./local-store.ts";
import type { MinimalLogger } from "./minimal-logger.ts";

interface Settings {
  nodeName: string;
  count: number;
  tags?: string[];
}

const DEFAULTS: Settings = { nodeName: "edge-1", count: 0 };

function collectingLogger(): MinimalLogger & { lines: { level: string; message: string }[] } {
  const lines: { level: string; message: string }[] = [];
  const at = (level: string) => (_fields: object, message: string) => void lines.push({ level, message });
  return { lines, info: at("info"), warn: at("warn"), error: at("error") };
}

describe("openLocalStore", () => {
  it("starts from the defaults and reads back what it wrote after a reopen", async () => {
    await using tmp = await createTempDir();
    const file = join(tmp.path, "var", "lib", "state.json");
    const store = await openLocalStore({ file, defaults: DEFAULTS });
    expect(store.read()).toEqual(DEFAULTS);
    const written = await store.update((draft) => {
      draft.count = 3;
      draft.tags = ["a"];
      return undefined;
    });
    expect(written).toEqual({ nodeName: "edge-1", count: 3, tags: ["a"] });
    await store.close();

    const again = await openLocalStore({ file, defaults: DEFAULTS });
    expect(again.read()).toEqual({ nodeName: "edge-1", count: 3, tags: ["a"] });
    expect(JSON.parse(await readFile(file, "utf8"))).toEqual({
      version: 1,
      data: { nodeName: "edge-1", count: 3, tags: ["a"] },
      namespaces: {},
    });
    expect(again.recoveredFromBackup).toBe(false);
  });

  it("fills keys added to the defaults later without touching stored ones", async () => {
    await using tmp = await createTempDir();
    const file = join(tmp.path, "state.json");
    const store = await openLocalStore<{ count: number }>({ file, defaults: { count: 0 } });
    await store.update(() => ({ count: 7 }));
    const again = await openLocalStore({ file, defaults: { count: 0, mode: "auto" } });
    expect(again.read()).toEqual({ count: 7, mode: "auto" });
  });

  it("hands out frozen values, so nobody changes state behind the store's back", async () => {
    await using tmp = await createTempDir();
    const store = await openLocalStore({ file: join(tmp.path, "s.json"), defaults: DEFAULTS });
    await store.update((draft) => ({ ...draft, tags: ["x"] }));
    const value = store.read();
    expect(Object.isFrozen(value)).toBe(true);
    expect(Object.isFrozen(value.tags)).toBe(true);
  });

  it("serialises concurrent read-modify-write updates, so no increment is lost", async () => {
    await using tmp = await createTempDir();
    const file = join(tmp.path, "s.json");
    const store = await openLocalStore({ file, defaults: DEFAULTS });
    await Promise.all(
      Array.from({ length: 40 }, () =>
        store.update((draft) => {
          draft.count += 1;
          return undefined;
        }),
      ),
    );
    expect(store.read().count).toBe(40);
    const again = await openLocalStore({ file, defaults: DEFAULTS });
    expect(again.read().count).toBe(40);
  });

  it("changes nothing when the update function throws", async () => {
    await using tmp = await createTempDir();
    const store = await openLocalStore({ file: join(tmp.path, "s.json"), defaults: DEFAULTS });
    await store.update((draft) => ({ ...draft, count: 1 }));
    await expect(
      store.update((draft) => {
        draft.count = 99;
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    expect(store.read().count).toBe(1);
  });

  it("keeps memory equal to the disk when a write fails", async () => {
    await using tmp = await createTempDir();
    const file = join(tmp.path, "s.json");
    const store = await openLocalStore({ file, defaults: DEFAULTS });
    await store.update((draft) => ({ ...draft, count: 1 }));
    // A directory where the file should be makes the final rename fail for real.
    await rm(file);
    await mkdir(file);
    const error = await store.update((draft) => ({ ...draft, count: 2 })).catch((e: unknown) => e);
    expect(MtxError.is(error)).toBe(true);
    expect((error as MtxError).details).toMatchObject({ file, diskFull: false });
    expect(store.read().count).toBe(1);
    expect((await readdir(tmp.path)).filter((name) => name.endsWith(".tmp"))).toEqual([]);
  });

  it("gives each namespace only its own keys", async () => {
    await using tmp = await createTempDir();
    const file = join(tmp.path, "s.json");
    const store = await openLocalStore({ file, defaults: DEFAULTS });
    const probe = store.namespace("probe", { lastRunTs: 0 });
    const recordings = store.namespace("recordings", { deleted: [] as string[] });
    await probe.update((draft) => ({ ...draft, lastRunTs: 42 }));
    await recordings.update((draft) => ({ deleted: [...draft.deleted, "a.mp4"] }));
    await store.update((draft) => ({ ...draft, count: 5 }));

    expect(probe.read()).toEqual({ lastRunTs: 42 });
    expect(recordings.read()).toEqual({ deleted: ["a.mp4"] });
    expect(store.read()).toEqual({ nodeName: "edge-1", count: 5 });
    const again = await openLocalStore({ file, defaults: DEFAULTS });
    expect(again.namespace("probe", { lastRunTs: 0 }).read()).toEqual({ lastRunTs: 42 });
    expect(again.namespace("other", { x: 1 }).read()).toEqual({ x: 1 });
  });

  it("refuses a namespace name that is not a simple identifier", async () => {
    await using tmp = await createTempDir();
    const store = await openLocalStore({ file: join(tmp.path, "s.json"), defaults: DEFAULTS });
    expect(() => store.namespace("../etc", {})).toThrow(MtxError);
    expect(() => store.namespace("", {})).toThrow(/must match/);
  });

  it("recovers the previous generation from .bak when the file is damaged, keeping the damaged copy", async () => {
    await using tmp = await createTempDir();
    const file = join(tmp.path, "s.json");
    const store = await openLocalStore({ file, defaults: DEFAULTS });
    await store.update((draft) => ({ ...draft, count: 1 }));
    await store.update((draft) => ({ ...draft, count: 2 }));
    await store.close();
    const good = await readFile(file, "utf8");
    await writeFile(file, good.slice(0, good.length / 2)); // a half file
    const logger = collectingLogger();

    const again = await openLocalStore({ file, defaults: DEFAULTS, logger });
    expect(again.read()).toEqual({ nodeName: "edge-1", count: 1 });
    expect(again.recoveredFromBackup).toBe(true);
    expect(await readFile(`${file}.corrupt`, "utf8")).toBe(good.slice(0, good.length / 2));
    expect(logger.lines).toEqual([
      { level: "warn", message: "store file is damaged; recovered the previous generation from the backup" },
    ]);
    // The recovered state is the file again: a further reopen is clean.
    const third = await openLocalStore({ file, defaults: DEFAULTS });
    expect([third.read().count, third.recoveredFromBackup]).toEqual([1, false]);
  });

  it("refuses a damaged file without a good backup with MTX_INVALID_INPUT naming the file", async () => {
    await using tmp = await createTempDir();
    const file = join(tmp.path, "s.json");
    await writeFile(file, '{"version":1,"data":{"count":');
    const error = await openLocalStore({ file, defaults: DEFAULTS }).catch((e: unknown) => e);
    expect(MtxError.is(error, "MTX_INVALID_INPUT")).toBe(true);
    expect((error as MtxError).message).toContain(file);
    expect((error as MtxError).details).toMatchObject({ file, damaged: true });
  });

  it("refuses a file written by a newer version instead of falling back", async () => {
    await using tmp = await createTempDir();
    const file = join(tmp.path, "s.json");
    await writeFile(file, JSON.stringify({ version: 2, data: {}, namespaces: {} }));
    await expect(openLocalStore({ file, defaults: DEFAULTS })).rejects.toThrow(/newer mtx-agent/);
  });

  it("removes temp files a crash left behind", async () => {
    await using tmp = await createTempDir();
    const file = join(tmp.path, "s.json");
    await writeFile(join(tmp.path, ".s.json.abcd1234.tmp"), "{half");
    await writeFile(join(tmp.path, "s.json.bak.tmp"), "{}");
    await writeFile(join(tmp.path, "other.tmp"), "not ours");
    await openLocalStore({ file, defaults: DEFAULTS });
    expect((await readdir(tmp.path)).sort()).toEqual(["other.tmp"]);
  });
});
