/** A pagination failure, with Go's message. */
export class PaginationError extends Error {}

function parseUint31(text: string): number {
  if (!/^\d+$/.test(text)) throw new PaginationError(`strconv.ParseUint: parsing "${text}": invalid syntax`);
  const n = Number(text);
  if (n >= 2 ** 31) throw new PaginationError(`strconv.ParseUint: parsing "${text}": value out of range`);
  return n;
}

/** MediaMTX `internal/api/paginate.go`: `{itemCount, pageCount, items}` of one page. */
export function paginate<T>(
  items: readonly T[],
  query: URLSearchParams,
): { itemCount: number; pageCount: number; items: T[] } {
  const ippText = query.get("itemsPerPage") ?? "";
  const pageText = query.get("page") ?? "";
  let itemsPerPage = 100;
  if (ippText !== "") {
    itemsPerPage = parseUint31(ippText);
    if (itemsPerPage === 0) throw new PaginationError("invalid items per page");
  }
  const page = pageText === "" ? 0 : parseUint31(pageText);
  const itemCount = items.length;
  const pageCount = Math.ceil(itemCount / itemsPerPage);
  const start = page * itemsPerPage;
  return { itemCount, pageCount, items: page >= pageCount ? [] : items.slice(start, start + itemsPerPage) };
}
