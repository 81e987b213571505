import type { HealthReason, StreamHealth, StreamVerdict } from "@mtx-fleet/plugin-api";
import type { Judgement } from "./judge-stream.ts";

/** One entry of a stream's history: a change of its verdict or of its reason codes. */
export interface HistoryEntry {
  readonly at: number;
  readonly verdict: StreamVerdict;
  readonly previous: StreamVerdict | null;
  /** Values are left out to keep the history small; `probe.verdict` events carry them. */
  readonly reasons: readonly HealthReason[];
}

/** What `record` tells the caller about one judgement. */
export interface LedgerUpdate {
  readonly health: StreamHealth;
  /** Set when the verdict changed (a `probe.verdict` event is due): the verdict before. */
  readonly verdictChange: { readonly previous: StreamVerdict | null } | null;
}

interface Entry {
  health: StreamHealth;
  readonly history: HistoryEntry[];
}

const codesOf = (reasons: readonly HealthReason[]): string =>
  reasons
    .map((r) => r.code)
    .sort()
    .join(",");

/**
 * The current health of every stream and a bounded history of each (`maxEntries` newest
 * changes). A stream first judged `unknown` has no "previous" worth an event: the first
 * event of a stream is its first real verdict, so an agent start does not announce every
 * stream twice.
 */
export class HealthLedger {
  readonly #streams = new Map<string, Entry>();
  readonly #maxEntries: number;

  constructor(options: { readonly maxEntries: number }) {
    this.#maxEntries = options.maxEntries;
  }

  record(path: string, judgement: Judgement, checkedAt: number): LedgerUpdate {
    const entry = this.#streams.get(path);
    const previous = entry?.health.verdict ?? null;
    const verdictChanged =
      previous === null ? judgement.verdict !== "unknown" : previous !== judgement.verdict;
    const since = entry === undefined || previous !== judgement.verdict ? checkedAt : entry.health.since;
    const health: StreamHealth = { ...judgement, checkedAt, since };
    const history = entry?.history ?? [];
    if (
      entry === undefined ||
      previous !== judgement.verdict ||
      codesOf(entry.health.reasons) !== codesOf(judgement.reasons)
    ) {
      history.push({ at: checkedAt, verdict: judgement.verdict, previous, reasons: judgement.reasons });
      if (history.length > this.#maxEntries) history.splice(0, history.length - this.#maxEntries);
    }
    this.#streams.set(path, { health, history });
    return { health, verdictChange: verdictChanged ? { previous } : null };
  }

  health(path: string): StreamHealth | undefined {
    return this.#streams.get(path)?.health;
  }

  /** Oldest first. */
  history(path: string): readonly HistoryEntry[] {
    return this.#streams.get(path)?.history ?? [];
  }

  paths(): readonly string[] {
    return [...this.#streams.keys()].sort();
  }

  forget(path: string): void {
    this.#streams.delete(path);
  }
}
