import type { MtxSnapshot } from "@mtx-fleet/mediamtx";
import type { MediaMtxHookEvent } from "@mtx-fleet/plugin-api";
import type { PathHookState } from "./hooks-state-file.ts";

/** A ready/not-ready the reconciler decided to synthesise. */
export interface Synthesis {
  readonly path: string;
  readonly hook: "ready" | "not-ready";
  readonly sourceType: string | null;
  readonly sourceId: string | null;
  readonly occurredAt: number;
}

export interface ReconcilerOptions {
  /** How long a mismatch may last before a hook is synthesised (capped at half the poll interval). */
  readonly graceMs: number;
  readonly now: () => number;
  /** Runs `task` once after `delayMs` (the plugin's scheduler). */
  readonly after: (delayMs: number, task: () => void) => void;
  /** The newest snapshot, or null when there is none or it is stale. */
  readonly currentSnapshot: () => MtxSnapshot | null;
  /** Stores and emits a synthesised hook (the reconciler has already updated its state). */
  readonly synthesize: (synthesis: Synthesis) => void;
  /** The state to persist changed. */
  readonly onChange: () => void;
  readonly initial?: Readonly<Record<string, PathHookState>>;
}

interface Pending {
  readonly available: boolean;
  readonly dueAt: number;
}

/** Not-ready states are kept this long (to order late hooks), then forgotten. */
const FORGET_NOT_READY_AFTER_MS = 3_600_000;

/**
 * Compares the last ready/not-ready hook of each path with the API snapshot. A path whose
 * snapshot disagrees for longer than the grace window gets a synthesised hook, so a lost hook
 * never leaves the state wrong: detection takes at most one poll interval, the grace at most
 * half of one, so the hook is synthesised within two intervals even with jitter. A real hook
 * arriving later for the same transition is older than the synthesis and is not emitted again.
 */
export class Reconciler {
  readonly #options: ReconcilerOptions;
  readonly #states = new Map<string, PathHookState>();
  readonly #pending = new Map<string, Pending>();
  #started = false;
  #timerDueAt: number | null = null;

  constructor(options: ReconcilerOptions) {
    this.#options = options;
    for (const [path, state] of Object.entries(options.initial ?? {})) this.#states.set(path, state);
  }

  /** Begins comparing (after the first spool drain, so replayed hooks count first). */
  start(): void {
    this.#started = true;
    const snapshot = this.#options.currentSnapshot();
    if (snapshot !== null) this.onSnapshot(snapshot);
  }

  /**
   * Takes a stored ready/not-ready into the path's state. Returns whether it changes what
   * consumers know (emit it on the bus): false for a hook older than the state (a late or
   * replayed one) and for a repeat of the state (e.g. the real hook after its synthesis).
   */
  observe(event: MediaMtxHookEvent): boolean {
    if ((event.hook !== "ready" && event.hook !== "not-ready") || event.path === null) return true;
    const previous = this.#states.get(event.path);
    if (previous !== undefined && event.occurredAt < previous.occurredAt) return false;
    const available = event.hook === "ready";
    this.#states.set(event.path, {
      available,
      sourceType: event.sourceType,
      sourceId: event.sourceId,
      occurredAt: event.occurredAt,
    });
    if (this.#pending.get(event.path)?.available === available) this.#pending.delete(event.path);
    this.#options.onChange();
    return (
      previous === undefined ||
      previous.available !== available ||
      (available && previous.sourceId !== event.sourceId)
    );
  }

  /** Compares a new snapshot with the hook states; starts the grace window of each mismatch. */
  onSnapshot(snapshot: MtxSnapshot): void {
    if (!this.#started) return;
    const now = this.#options.now();
    const interval = snapshot.previousTakenAt === null ? null : snapshot.takenAt - snapshot.previousTakenAt;
    const graceMs = Math.min(this.#options.graceMs, interval === null ? Infinity : interval / 2);
    const names = new Set([...snapshot.pathsByName.keys(), ...this.#states.keys()]);
    for (const path of names) {
      if (!this.#disagrees(snapshot, path)) {
        this.#pending.delete(path);
        continue;
      }
      const available = snapshot.pathsByName.get(path)?.available ?? false;
      if (this.#pending.get(path)?.available !== available) {
        this.#pending.set(path, { available, dueAt: now + graceMs });
      }
    }
    this.#forgetOld(now);
    this.#expire();
  }

  /** Paths whose last hook said ready (what the plugin persists). */
  readyPaths(): Record<string, PathHookState> {
    return Object.fromEntries([...this.#states].filter(([, state]) => state.available));
  }

  /** Mismatches waiting for their grace window to end. */
  get pendingCount(): number {
    return this.#pending.size;
  }

  /** True when the snapshot, taken after the path's last hook, says otherwise. */
  #disagrees(snapshot: MtxSnapshot, path: string): boolean {
    const state = this.#states.get(path);
    // A poll that started before the hook ran may not show it yet.
    if (state !== undefined && snapshot.takenAt <= state.occurredAt) return false;
    const live = snapshot.pathsByName.get(path);
    const available = live?.available ?? false;
    if (available !== (state?.available ?? false)) return true;
    // Still available, but from another source: the not-ready and ready between were lost.
    const liveId = live?.source?.id ?? null;
    return available && liveId !== null && state?.sourceId != null && liveId !== state.sourceId;
  }

  /** Synthesises every mismatch whose grace window ended and is still a mismatch now. */
  #expire(): void {
    const now = this.#options.now();
    const snapshot = this.#options.currentSnapshot();
    let nextDue = Infinity;
    for (const [path, pending] of this.#pending) {
      if (pending.dueAt > now) {
        nextDue = Math.min(nextDue, pending.dueAt);
        continue;
      }
      // No fresh snapshot to confirm it: the next one decides again.
      if (snapshot === null) continue;
      this.#pending.delete(path);
      const live = snapshot.pathsByName.get(path);
      if ((live?.available ?? false) !== pending.available || !this.#disagrees(snapshot, path)) continue;
      const previous = this.#states.get(path);
      const source = pending.available
        ? { sourceType: live?.source?.type ?? null, sourceId: live?.source?.id ?? null }
        : { sourceType: previous?.sourceType ?? null, sourceId: previous?.sourceId ?? null };
      this.#states.set(path, { available: pending.available, ...source, occurredAt: now });
      this.#options.onChange();
      this.#options.synthesize({
        path,
        hook: pending.available ? "ready" : "not-ready",
        ...source,
        occurredAt: now,
      });
    }
    if (nextDue !== Infinity && (this.#timerDueAt === null || nextDue < this.#timerDueAt)) {
      this.#timerDueAt = nextDue;
      this.#options.after(nextDue - now, () => {
        this.#timerDueAt = null;
        this.#expire();
      });
    }
  }

  #forgetOld(now: number): void {
    for (const [path, state] of this.#states) {
      if (!state.available && now - state.occurredAt > FORGET_NOT_READY_AFTER_MS && !this.#pending.has(path))
        this.#states.delete(path);
    }
  }
}
