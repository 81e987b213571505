import { MtxError } from "@mtx-fleet/plugin-api";
import { describe, expect, it } from "vitest";
import { listAllPages } from "./list-all-pages.ts";

/** Serves `items` the way MediaMTX paginates, recomputing on every call. */
function pager(items: () => string[], perPage: number) {
  return async (page: number) => {
    const all = items();
    return {
      itemCount: all.length,
      pageCount: Math.ceil(all.length / perPage),
      items: all.slice(page * perPage, (page + 1) * perPage).map((name) => ({ name })),
    };
  };
}

const names = (n: number) => Array.from({ length: n }, (_, i) => `p${String(i).padStart(4, "0")}`);
const normalise = (raw: unknown) => raw as { name: string };
const key = (x: { name: string }) => x.name;

describe("listAllPages", () => {
  it("walks past the first page to the end", async () => {
    const list = await listAllPages({
      what: "test",
      fetchPage: pager(() => names(250), 100),
      normalise,
      key,
    });
    expect(list).toEqual({
      items: names(250).map((name) => ({ name })),
      itemCount: 250,
      pages: 3,
      consistent: true,
      disabled: false,
    });
  });

  it("drops duplicates and reports inconsistency when the list grows during the walk", async () => {
    let calls = 0;
    // An item sorting first appears after page 0: everything shifts down by one.
    const list = await listAllPages({
      what: "test",
      fetchPage: pager(() => (calls++ === 0 ? names(200) : ["a", ...names(200)]), 100),
      normalise,
      key,
    });
    expect(list.consistent).toBe(false);
    expect(list.itemCount).toBe(201);
    expect(new Set(list.items.map(key)).size).toBe(list.items.length);
    expect(list.items.map(key).filter((n) => n.startsWith("p"))).toEqual(names(200));
  });

  it("handles an empty list (pageCount 0)", async () => {
    const list = await listAllPages({ what: "test", fetchPage: pager(() => [], 100), normalise, key });
    expect(list).toEqual({ items: [], itemCount: 0, pages: 1, consistent: true, disabled: false });
  });

  it("rejects a reply without items as a bad response", async () => {
    const err = await listAllPages({
      what: "GET /v3/paths/list",
      fetchPage: async () => ({ itemCount: 1 }),
      normalise,
      key,
    }).catch((e: unknown) => e);
    expect(MtxError.is(err, "MTX_MEDIAMTX_BAD_RESPONSE")).toBe(true);
  });
});
