/** How a node's link looks from the hub. Never a reason to delete anything. */
export type Connectivity = "online" | "stale" | "offline";

/** A node's connectivity and when the hub last heard from it (ms since the epoch). */
export interface ConnectivityState {
  readonly state: Connectivity;
  readonly lastSeenAt: number | null;
}

/** Options of `ConnectivityTracker`. */
export interface ConnectivityTrackerOptions {
  readonly staleAfterMs: number;
  readonly offlineAfterMs: number;
  /** Each expectation is stretched by up to this share, at random. */
  readonly jitterRatio?: number;
  readonly random?: () => number;
  readonly onChange?: (nodeId: string, from: Connectivity, to: Connectivity) => void;
}

export const DEFAULT_CONNECTIVITY_JITTER_RATIO = 0.1;

interface Entry {
  state: Connectivity;
  lastSeenAt: number;
  staleAt: number;
  offlineAt: number;
}

/**
 * Heartbeat expectations per node: online while heard from, stale once `staleAfterMs` passed
 * without a sign of life (or the session closed), offline after `offlineAfterMs`. Deadlines are
 * jittered so that nodes cut off together (a hub restart, a partition) do not all change state
 * in the same instant. State lives in memory: the next heartbeat restores it after a restart.
 */
export class ConnectivityTracker {
  readonly #entries = new Map<string, Entry>();
  readonly #options: Required<Omit<ConnectivityTrackerOptions, "onChange">> &
    Pick<ConnectivityTrackerOptions, "onChange">;

  constructor(options: ConnectivityTrackerOptions) {
    this.#options = {
      jitterRatio: DEFAULT_CONNECTIVITY_JITTER_RATIO,
      random: Math.random,
      ...options,
    };
  }

  /** The node sent something (hello, heartbeat, telemetry, events) at `at`. */
  markSeen(nodeId: string, at: number): void {
    const { staleAfterMs, offlineAfterMs } = this.#options;
    const previous = this.#entries.get(nodeId);
    if (previous !== undefined && previous.lastSeenAt > at) return;
    this.#entries.set(nodeId, {
      state: "online",
      lastSeenAt: at,
      staleAt: at + this.#jittered(staleAfterMs),
      offlineAt: at + this.#jittered(offlineAfterMs),
    });
    this.#changed(nodeId, previous?.state ?? "offline", "online");
  }

  /** The node's session ended: stale now, offline when its offline deadline passes. */
  markDisconnected(nodeId: string, at: number): void {
    const entry = this.#entries.get(nodeId);
    if (entry === undefined || entry.state !== "online") return;
    entry.staleAt = Math.min(entry.staleAt, at);
    this.#advance(nodeId, entry, at);
  }

  stateOf(nodeId: string): ConnectivityState {
    const entry = this.#entries.get(nodeId);
    return entry === undefined
      ? { state: "offline", lastSeenAt: null }
      : { state: entry.state, lastSeenAt: entry.lastSeenAt };
  }

  /** Applies every deadline passed by `now`; call it periodically. */
  sweep(now: number): void {
    for (const [nodeId, entry] of this.#entries) this.#advance(nodeId, entry, now);
  }

  /** How many nodes are in each state (nodes never seen count as offline by the caller). */
  counts(): Record<Connectivity, number> {
    const counts = { online: 0, stale: 0, offline: 0 };
    for (const entry of this.#entries.values()) counts[entry.state] += 1;
    return counts;
  }

  forget(nodeId: string): void {
    this.#entries.delete(nodeId);
  }

  #advance(nodeId: string, entry: Entry, now: number): void {
    const next: Connectivity = now >= entry.offlineAt ? "offline" : now >= entry.staleAt ? "stale" : "online";
    if (next === entry.state) return;
    const from = entry.state;
    entry.state = next;
    this.#changed(nodeId, from, next);
  }

  #changed(nodeId: string, from: Connectivity, to: Connectivity): void {
    if (from !== to) this.#options.onChange?.(nodeId, from, to);
  }

  #jittered(ms: number): number {
    return Math.round(ms * (1 + this.#options.jitterRatio * this.#options.random()));
  }
}
