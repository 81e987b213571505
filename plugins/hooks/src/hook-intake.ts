import { randomUUID } from "node:crypto";
import type { EventBus, EventJournal, Logger, MediaMtxHookEvent } from "@mtx-fleet/plugin-api";
import { type HookOrigin, hookEventOf, hookPayloadOf } from "./hook-event-of.ts";
import type { HooksMetrics } from "./hooks-metrics.ts";
import type { ParsedHook } from "./parse-hook-body.ts";
import type { RecentIds } from "./recent-ids.ts";

/** What became of a hook handed to the intake. */
export type IntakeResult =
  | { readonly kind: "stored"; readonly id: string; readonly seq: number; readonly emitted: boolean }
  | { readonly kind: "duplicate"; readonly id: string };

export interface HookIntakeOptions {
  readonly journal: EventJournal;
  readonly events: EventBus;
  readonly logger: Logger;
  readonly recentIds: RecentIds;
  readonly now: () => number;
  /** Whether a query arrived URL-escaped (see queryLooksEscaped). */
  readonly queryEscaped: (query: string) => boolean;
  /** The reconciler's verdict for ready/not-ready: does this change what consumers know? */
  readonly observe: (event: MediaMtxHookEvent) => boolean;
  /** The hub's stream id of a path (for the log line). */
  readonly streamIdOf: (path: string) => string;
  readonly onStored: () => void;
  readonly counters: Pick<HooksMetrics, "stored" | "duplicates">;
}

/**
 * The one way a hook enters the agent, whether it came from the receiver, the spool or the
 * reconciler: deduplicate by id, record it in the journal (`hook.received`, durable before
 * anything answers "stored"), then emit `mediamtx.hook` on the bus and log it.
 */
export class HookIntake {
  readonly #options: HookIntakeOptions;
  /** Ids being stored right now: a replay racing its original waits for it instead of storing twice. */
  readonly #inFlight = new Map<string, Promise<IntakeResult>>();

  constructor(options: HookIntakeOptions) {
    this.#options = options;
  }

  /** Stores a hook from the receiver (`hook`) or the spool (`spool`) unless its id was stored. */
  accept(
    parsed: ParsedHook,
    origin: Exclude<HookOrigin, "synthesized">,
    requestId: string,
  ): Promise<IntakeResult> {
    const id = parsed.id ?? randomUUID();
    if (this.#options.recentIds.has(id)) return Promise.resolve(this.#duplicate(id, origin, requestId));
    const running = this.#inFlight.get(id);
    if (running !== undefined) {
      return running.then(() => this.#duplicate(id, origin, requestId));
    }
    const occurredAt = parsed.occurredAt ?? this.#options.now();
    const event = hookEventOf(parsed, { id, occurredAt, origin }, this.#options.queryEscaped);
    const storing = this.#store(event, requestId).finally(() => this.#inFlight.delete(id));
    this.#inFlight.set(id, storing);
    return storing;
  }

  /** Stores and emits a hook the reconciler inferred (its state already says so). */
  async synthesized(event: MediaMtxHookEvent): Promise<void> {
    await this.#store(event, `synthesized-${event.id}`, true);
  }

  async #store(event: MediaMtxHookEvent, requestId: string, alreadyObserved = false): Promise<IntakeResult> {
    const { journal, events, recentIds } = this.#options;
    const record = await journal.record({
      kind: "hook.received",
      id: event.id,
      payload: hookPayloadOf(event),
      ...(event.path === null ? {} : { path: event.path }),
      occurredAt: event.occurredAt,
      requestId,
    });
    recentIds.add(event.id);
    this.#options.onStored();
    const emitted = alreadyObserved || this.#options.observe(event);
    if (emitted) events.emit("mediamtx.hook", event);
    this.#options.counters.stored.inc({ hook: event.hook, origin: event.origin });
    this.#options.logger.info(
      {
        hook: event.hook,
        origin: event.origin,
        id: event.id,
        seq: record.seq,
        path: event.path,
        streamId: event.path === null ? null : this.#options.streamIdOf(event.path),
        sourceId: event.sourceId,
        requestId,
        // A repeat of the path's state (e.g. the real hook after its synthesis) is stored, not re-emitted.
        ...(emitted ? {} : { emitted: false }),
      },
      event.origin === "synthesized" ? "hook never came; synthesised from the API snapshot" : "hook stored",
    );
    return { kind: "stored", id: event.id, seq: record.seq, emitted };
  }

  #duplicate(id: string, origin: HookOrigin, requestId: string): IntakeResult {
    this.#options.counters.duplicates.inc({ origin });
    this.#options.logger.debug({ id, origin, requestId }, "hook already stored; ignored");
    return { kind: "duplicate", id };
  }
}
