import type { Page, PageRequest } from "./hub-records.ts";

/** Cuts one page out of a full, ordered list. */
export function pageOf<T>(items: readonly T[], { page, perPage }: PageRequest): Page<T> {
  return {
    itemCount: items.length,
    pageCount: Math.ceil(items.length / perPage),
    items: items.slice(page * perPage, (page + 1) * perPage),
  };
}
