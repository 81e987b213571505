import type { StreamRecord } from "./hub-records.ts";

/**
 * Streams in memory, indexed by node: a node's full telemetry replaces only its own streams
 * without scanning the fleet (the hot path of ingest). Streams are soft state, rebuilt from
 * the next full telemetry, so every store keeps them here and nowhere durable.
 */
export class StreamIndex {
  readonly #byNode = new Map<string, Map<string, StreamRecord>>();
  readonly #nodeOf = new Map<string, string>();

  /** Replaces all streams of a node (full telemetry). */
  replace(nodeId: string, streams: readonly StreamRecord[]): void {
    this.dropNode(nodeId);
    for (const stream of streams) this.#put(stream);
  }

  /** Upserts and removes streams by id (partial telemetry). */
  update(upserts: readonly StreamRecord[], removedIds: readonly string[]): void {
    for (const id of removedIds) this.#delete(id);
    for (const stream of upserts) this.#put(stream);
  }

  get(id: string): StreamRecord | undefined {
    const nodeId = this.#nodeOf.get(id);
    return nodeId === undefined ? undefined : this.#byNode.get(nodeId)?.get(id);
  }

  /** Streams of one node, or of all; ordered by node id, then path name. */
  list(nodeId?: string): StreamRecord[] {
    const streams =
      nodeId === undefined
        ? [...this.#byNode.values()].flatMap((ofNode) => [...ofNode.values()])
        : [...(this.#byNode.get(nodeId)?.values() ?? [])];
    return streams.sort((a, b) => a.nodeId.localeCompare(b.nodeId) || a.pathName.localeCompare(b.pathName));
  }

  dropNode(nodeId: string): void {
    for (const id of this.#byNode.get(nodeId)?.keys() ?? []) this.#nodeOf.delete(id);
    this.#byNode.delete(nodeId);
  }

  #put(stream: StreamRecord): void {
    let ofNode = this.#byNode.get(stream.nodeId);
    if (ofNode === undefined) {
      ofNode = new Map();
      this.#byNode.set(stream.nodeId, ofNode);
    }
    ofNode.set(stream.id, stream);
    this.#nodeOf.set(stream.id, stream.nodeId);
  }

  #delete(id: string): void {
    const nodeId = this.#nodeOf.get(id);
    if (nodeId === undefined) return;
    this.#byNode.get(nodeId)?.delete(id);
    this.#nodeOf.delete(id);
  }
}
