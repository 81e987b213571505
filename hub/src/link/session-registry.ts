import type { Clock, Logger } from "@mtx-fleet/plugin-api";
import type { NodeRef } from "@mtx-fleet/proto";
import type { LinkNodeState } from "./link-handlers.ts";
import type { LinkSession } from "./link-session.ts";

/** What the registry knows about one node. */
export interface NodeLinkStatus {
  readonly node: NodeRef;
  readonly state: LinkNodeState;
  /** Epoch ms the agent was last heard (any message). */
  readonly lastSeenAtMs: number;
  /** The live session, if any. */
  readonly sessionId: string | undefined;
}

/** Options of `SessionRegistry`. */
export interface SessionRegistryOptions {
  readonly staleAfterMs: number;
  readonly offlineAfterMs: number;
  readonly clock: Pick<Clock, "now">;
  readonly logger: Logger;
  /** Called (in order per node) whenever a node's state changes. */
  readonly onState: (node: NodeRef, state: LinkNodeState) => Promise<void> | void;
  /** Called when a node gets a live session here (true) or loses it without a replacement (false). */
  readonly onSessionChange?: ((nodeId: string, hasSession: boolean) => void) | undefined;
}

interface NodeEntry {
  node: NodeRef;
  session: LinkSession | undefined;
  lastSeenAtMs: number;
  state: LinkNodeState;
  reporting: Promise<void>;
}

/**
 * One live session per node, and each node's liveness: online while heard within
 * `staleAfterMs`, stale after that (or at once when its session ends), offline after
 * `offlineAfterMs` without a word. States only describe: nothing is deleted on the way.
 */
export class SessionRegistry {
  readonly #options: SessionRegistryOptions;
  readonly #entries = new Map<string, NodeEntry>();
  readonly #reports = new Set<Promise<void>>();

  constructor(options: SessionRegistryOptions) {
    this.#options = options;
  }

  /** The live session of a node. */
  session(nodeId: string): LinkSession | undefined {
    return this.#entries.get(nodeId)?.session;
  }

  /** The node's state; `offline` for a node the registry does not know (never heard since start). */
  state(nodeId: string): LinkNodeState {
    return this.#entries.get(nodeId)?.state ?? "offline";
  }

  /** Every node heard since it was last offline. */
  list(): NodeLinkStatus[] {
    return [...this.#entries.values()].map((entry) => ({
      node: entry.node,
      state: entry.state,
      lastSeenAtMs: entry.lastSeenAtMs,
      sessionId: entry.session?.id,
    }));
  }

  /** Registers a new session; the node's previous session, if any, is ended (replaced). */
  open(session: LinkSession): void {
    const nodeId = session.node.nodeId;
    const entry = this.#entries.get(nodeId);
    const previous = entry?.session;
    const next: NodeEntry = entry ?? {
      node: session.node,
      session,
      lastSeenAtMs: session.lastSeenAtMs,
      state: "offline",
      reporting: Promise.resolve(),
    };
    next.node = session.node;
    next.session = session;
    next.lastSeenAtMs = session.lastSeenAtMs;
    this.#entries.set(nodeId, next);
    if (previous !== undefined && previous !== session) {
      this.#options.logger.info(
        { node: nodeId, replaced: previous.id, session: session.id },
        "session replaced",
      );
      previous.close();
    }
    if (previous === undefined) this.#options.onSessionChange?.(nodeId, true);
    this.#setState(next, "online");
  }

  /** The agent was heard on `session`. */
  seen(session: LinkSession): void {
    session.lastSeenAtMs = this.#options.clock.now();
    const entry = this.#entries.get(session.node.nodeId);
    if (entry?.session !== session) return;
    entry.lastSeenAtMs = session.lastSeenAtMs;
    this.#setState(entry, "online");
  }

  /** A session ended: the node turns stale unless a newer session replaced it. */
  closed(session: LinkSession): void {
    const entry = this.#entries.get(session.node.nodeId);
    if (entry?.session !== session) return;
    entry.session = undefined;
    this.#options.onSessionChange?.(session.node.nodeId, false);
    if (entry.state === "online") this.#setState(entry, "stale");
  }

  /** Applies the time thresholds to every node; run it periodically. */
  sweep(): void {
    const now = this.#options.clock.now();
    for (const [nodeId, entry] of this.#entries) {
      const silentMs = now - entry.lastSeenAtMs;
      if (silentMs >= this.#options.offlineAfterMs) {
        this.#setState(entry, "offline");
        // Without a session nothing more can happen until it reconnects: forget it (memory only).
        if (entry.session === undefined) this.#entries.delete(nodeId);
      } else if (silentMs >= this.#options.staleAfterMs || entry.session === undefined) {
        this.#setState(entry, "stale");
      }
    }
  }

  /** Ends every session (with OK: the agents reconnect, e.g. to another replica). */
  closeAll(): void {
    for (const entry of this.#entries.values()) entry.session?.close();
  }

  /** Resolves once every state change reported so far was handled. */
  async settled(): Promise<void> {
    await Promise.all([...this.#reports]);
  }

  #setState(entry: NodeEntry, state: LinkNodeState): void {
    if (entry.state === state) return;
    entry.state = state;
    const { node } = entry;
    this.#options.logger.info({ node: node.nodeId, state }, `node ${state}`);
    // Chained so a slow handler never sees "offline" before the "stale" that preceded it.
    const report = entry.reporting.then(async () => {
      try {
        await this.#options.onState(node, state);
      } catch (error) {
        this.#options.logger.error({ err: error, node: node.nodeId, state }, "onState handler failed");
      }
    });
    entry.reporting = report;
    this.#reports.add(report);
    void report.finally(() => this.#reports.delete(report));
  }
}
