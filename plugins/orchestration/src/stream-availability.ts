import type { MtxSnapshot } from "@mtx-fleet/mediamtx";
import type { MediaMtxHookEvent } from "@mtx-fleet/plugin-api";
import type { StartTrigger } from "./worker-spec.ts";

/** What is known of one stream: whether it is available and the values its workers use. */
export interface StreamFacts {
  readonly path: string;
  readonly available: boolean;
  /** The publisher's query (`MTX_QUERY`), "" when unknown. */
  readonly query: string;
  /** What made it available (for the start latency); null while unavailable. */
  readonly trigger: StartTrigger | null;
  /** Epoch ms of the newest information applied: a hook's occurredAt or a snapshot's takenAt. */
  readonly knownAt: number;
}

/** Unavailable streams are forgotten after this (their facts only order late hooks). */
const FORGET_AFTER_MS = 60 * 60_000;
/** How often forgetting runs (it walks every stream). */
const PRUNE_EVERY_MS = 60_000;

/**
 * Which streams are available, from two sources: hooks (fast) and the shared API snapshot
 * (catches streams live before the agent started and hooks that never came). Each fact is
 * ordered by when it was true at MediaMTX: a hook by its `occurredAt`, a snapshot by its
 * `takenAt` (when its poll started, so it reflects every hook that ran before). Older
 * information never overrides newer: a spooled hook replayed after a restart, or a snapshot
 * whose poll began before the hook that just arrived, changes nothing.
 */
export class StreamAvailability {
  readonly #streams = new Map<string, StreamFacts>();
  #relevant: (path: string) => boolean;
  #prunedAt = 0;

  constructor(relevant: (path: string) => boolean) {
    this.#relevant = relevant;
  }

  /** Which paths matter (those a rule or forwarder matches); others are not tracked. */
  setRelevant(relevant: (path: string) => boolean): void {
    this.#relevant = relevant;
    for (const path of this.#streams.keys()) if (!relevant(path)) this.#streams.delete(path);
  }

  get(path: string): StreamFacts | undefined {
    return this.#streams.get(path);
  }

  availablePaths(): string[] {
    return [...this.#streams.values()].filter((s) => s.available).map((s) => s.path);
  }

  /** Applies a `ready`/`not-ready` hook; the new facts, or null when it changes nothing. */
  fromHook(event: MediaMtxHookEvent): StreamFacts | null {
    if ((event.hook !== "ready" && event.hook !== "not-ready") || event.path === null) return null;
    if (!this.#relevant(event.path)) return null;
    const previous = this.#streams.get(event.path);
    if (previous !== undefined && event.occurredAt < previous.knownAt) return null;
    const available = event.hook === "ready";
    const facts: StreamFacts = {
      path: event.path,
      available,
      query: available ? (event.query ?? "") : (previous?.query ?? ""),
      trigger: available ? { hookId: event.id, occurredAt: event.occurredAt, origin: event.origin } : null,
      knownAt: event.occurredAt,
    };
    this.#streams.set(event.path, facts);
    this.#prune(event.occurredAt);
    return facts;
  }

  /** Applies a snapshot; returns the streams whose availability it changed. */
  fromSnapshot(snapshot: MtxSnapshot): StreamFacts[] {
    const changed: StreamFacts[] = [];
    const apply = (path: string, available: boolean, query: string, occurredAt: number): void => {
      const previous = this.#streams.get(path);
      if (previous !== undefined && snapshot.takenAt <= previous.knownAt) return;
      const facts: StreamFacts = {
        path,
        available,
        query: available && previous?.available !== true ? query : (previous?.query ?? query),
        trigger: available ? (previous?.trigger ?? { hookId: null, occurredAt, origin: "snapshot" }) : null,
        knownAt: snapshot.takenAt,
      };
      this.#streams.set(path, facts);
      if (previous === undefined ? available : previous.available !== available) changed.push(facts);
    };
    for (const path of snapshot.paths) {
      if (!this.#relevant(path.name)) continue;
      const since = path.availableTime === null ? Number.NaN : Date.parse(path.availableTime);
      apply(
        path.name,
        path.available,
        queryOf(snapshot, path.source?.id),
        Number.isNaN(since) ? snapshot.takenAt : since,
      );
    }
    for (const [path, facts] of this.#streams) {
      if (snapshot.pathsByName.has(path)) continue;
      // A path that is not listed has no stream (regex paths vanish when their publisher leaves).
      if (facts.available) apply(path, false, "", snapshot.takenAt);
    }
    this.#prune(snapshot.takenAt);
    return changed;
  }

  /** Forgets streams unavailable for long (random stream ids would otherwise pile up). */
  #prune(now: number): void {
    if (now - this.#prunedAt < PRUNE_EVERY_MS) return;
    this.#prunedAt = now;
    for (const [path, facts] of this.#streams) {
      if (!facts.available && now - facts.knownAt > FORGET_AFTER_MS) this.#streams.delete(path);
    }
  }
}

/** The query of the connection publishing a path, when the snapshot has that connection. */
function queryOf(snapshot: MtxSnapshot, sourceId: string | undefined): string {
  if (sourceId === undefined || sourceId === "") return "";
  for (const items of Object.values(snapshot.connections)) {
    for (const item of items ?? []) {
      if (item.id === sourceId) return item.query ?? "";
    }
  }
  return "";
}
