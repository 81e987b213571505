import { MtxError } from "@mtx-fleet/plugin-api";
import type { MtxList } from "./model.ts";
import { ShapeReader } from "./shape-reader.ts";

/** Fetches one page (`page` is 0-based) and returns the raw reply. */
export type PageFetcher = (page: number) => Promise<unknown>;

export interface ListAllPagesOptions<T> {
  readonly fetchPage: PageFetcher;
  readonly normalise: (raw: unknown, where: string) => T;
  /** The identity of an item (`name`, `id`, `path`): later pages win on duplicates. */
  readonly key: (item: T) => string;
  /** For messages: `GET /v3/paths/list`. */
  readonly what: string;
  /** A guard against a list that never ends. */
  readonly maxPages?: number;
}

const DEFAULT_MAX_PAGES = 100_000;

/**
 * Walks every page of a MediaMTX `/list` endpoint. MediaMTX recomputes the list for each
 * page, so items can shift between pages while we walk: duplicates are dropped by key, and
 * a change of `itemCount` during the walk is reported as `consistent: false`.
 */
export async function listAllPages<T>(options: ListAllPagesOptions<T>): Promise<MtxList<T>> {
  const maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
  const byKey = new Map<string, T>();
  let firstCount: number | null = null;
  let consistent = true;
  let itemCount = 0;
  let page = 0;
  for (;;) {
    const where = `${options.what} page ${page}`;
    const r = new ShapeReader(await options.fetchPage(page), where);
    itemCount = r.number("itemCount");
    const pageCount = r.number("pageCount");
    const items = r.array("items");
    firstCount ??= itemCount;
    if (itemCount !== firstCount) consistent = false;
    items.forEach((raw, i) => {
      const item = options.normalise(raw, `${where} items[${i}]`);
      const key = options.key(item);
      byKey.delete(key); // re-insert so the order follows the freshest page
      byKey.set(key, item);
    });
    page++;
    if (page >= pageCount || items.length === 0) break;
    if (page >= maxPages) {
      throw new MtxError("MTX_MEDIAMTX_BAD_RESPONSE", `${options.what} did not end after ${maxPages} pages`, {
        details: { what: options.what, pages: page, itemCount },
      });
    }
  }
  return { items: [...byKey.values()], itemCount, pages: page, consistent, disabled: false };
}
