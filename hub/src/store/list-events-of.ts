import type { EventFilter, EventRecord, Page, PageRequest } from "./hub-records.ts";
import { pageOf } from "./page-of.ts";

/**
 * One page of the events matching `filter` out of per-node event lists, oldest first (by
 * occurrence, then node, then seq): the listing rule every `HubStore` shares.
 */
export function listEventsOf(
  eventsOfNode: (nodeId: string) => readonly EventRecord[] | undefined,
  allNodes: () => Iterable<readonly EventRecord[]>,
  filter: EventFilter,
  page: PageRequest,
): Page<EventRecord> {
  const sources = filter.nodeId === undefined ? [...allNodes()] : [eventsOfNode(filter.nodeId) ?? []];
  const matching = sources
    .flat()
    .filter(
      (event) =>
        (filter.kind === undefined || event.kind === filter.kind) &&
        (filter.sinceMs === undefined || Date.parse(event.occurredAt) >= filter.sinceMs),
    )
    .sort(
      (a, b) => a.occurredAt.localeCompare(b.occurredAt) || a.nodeId.localeCompare(b.nodeId) || a.seq - b.seq,
    );
  return pageOf(matching, page);
}
