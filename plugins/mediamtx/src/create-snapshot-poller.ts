import { MtxError } from "@mtx-fleet/plugin-api";
import { computePathDeltas } from "./compute-path-deltas.ts";
import type { ConnectionGroupName } from "./connection-api.ts";
import type { MediaMtxClient } from "./create-mediamtx-client.ts";
import { DEFAULT_POLL_INTERVAL_MS } from "./defaults.ts";
import type { MtxList } from "./model.ts";
import type { CurrentSnapshot, MtxSnapshot, PollResult, SnapshotEvent } from "./snapshot.ts";

/** The lists a poll reads by default besides paths: everything that can be a reader or publisher. */
export const DEFAULT_SNAPSHOT_INCLUDE: readonly ConnectionGroupName[] = Object.freeze([
  "rtspSessions",
  "rtspsSessions",
  "rtmpConns",
  "rtmpsConns",
  "srtConns",
  "webrtcSessions",
  "hlsSessions",
  "moqSessions",
]);

/** Time source and timers (a fake one makes tests deterministic). */
export interface PollerClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const systemClock: PollerClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface SnapshotPollerOptions {
  readonly intervalMs?: number | undefined;
  /** Connection/session lists to read on each poll. */
  readonly include?: readonly ConnectionGroupName[] | undefined;
  /** Random spread of each interval, 0…1 (0.1 = ±10 %), so many agents do not poll in step. */
  readonly jitterRatio?: number | undefined;
  /** Stops the poller when aborted. */
  readonly signal?: AbortSignal | undefined;
  readonly clock?: PollerClock | undefined;
}

/** One shared poll loop; every consumer reads `current()` or subscribes. */
export interface SnapshotPoller extends AsyncDisposable {
  /** Starts the loop (first poll at once). Idempotent. */
  start(): void;
  /** Stops the loop, aborts a running poll and waits for it. */
  stop(): Promise<void>;
  /** Polls now, or joins the poll already running (never two at once). Never rejects. */
  pollNow(): Promise<PollResult>;
  current(): CurrentSnapshot | null;
  /** All events; returns the unsubscribe function. */
  subscribe(listener: (event: SnapshotEvent) => void): () => void;
}

/**
 * Creates the snapshot poller: paths + the `include`d lists per poll, all pages. A failed
 * page or list fails the whole poll; the last good snapshot stays in place (and goes stale).
 */
export function createSnapshotPoller(
  client: MediaMtxClient,
  {
    intervalMs = DEFAULT_POLL_INTERVAL_MS,
    include = DEFAULT_SNAPSHOT_INCLUDE,
    jitterRatio = 0,
    signal,
    clock = systemClock,
  }: SnapshotPollerOptions = {},
): SnapshotPoller {
  const listeners = new Set<(event: SnapshotEvent) => void>();
  let last: MtxSnapshot | null = null;
  let consecutiveFailures = 0;
  let lastError: MtxError | null = null;
  let running = false;
  let timer: unknown = null;
  let inflight: Promise<PollResult> | null = null;
  let pollAbort: AbortController | null = null;

  const emit = (event: SnapshotEvent) => {
    for (const listener of [...listeners]) {
      try {
        listener(event);
      } catch {
        // a consumer's bug must not stop the shared loop
      }
    }
  };

  const takeSnapshot = async (abort: AbortSignal): Promise<MtxSnapshot> => {
    const takenAt = clock.now();
    const paths = client.paths.list({ signal: abort });
    const lists = include.map((name) =>
      (client[name].list as (o: object) => Promise<MtxList<unknown>>)({
        signal: abort,
        disabledAsEmpty: true,
      }),
    );
    const [pathList, ...connLists] = await Promise.all([paths, ...lists]);
    const connections = Object.fromEntries(include.map((name, i) => [name, connLists[i]?.items ?? []]));
    const previous = last;
    const pathsByName = new Map(pathList.items.map((p) => [p.name, p]));
    return Object.freeze({
      takenAt,
      pollDurationMs: clock.now() - takenAt,
      paths: pathList.items,
      pathsByName,
      connections: Object.freeze(connections),
      disabled: Object.freeze(include.filter((_, i) => connLists[i]?.disabled === true)),
      consistent: pathList.consistent && connLists.every((l) => l.consistent),
      previousTakenAt: previous?.takenAt ?? null,
      deltas:
        previous === null
          ? new Map()
          : computePathDeltas(previous.pathsByName, pathList.items, takenAt - previous.takenAt),
    });
  };

  const poll = async (): Promise<PollResult> => {
    const controller = new AbortController();
    pollAbort = controller;
    try {
      const snapshot = await takeSnapshot(controller.signal);
      last = snapshot;
      consecutiveFailures = 0;
      lastError = null;
      emit({ type: "snapshot", snapshot });
      return { ok: true, snapshot };
    } catch (e) {
      if (controller.signal.aborted) {
        // stop() aborted this poll: not a failure of the node
        const error = new MtxError("MTX_INTERNAL", "snapshot poll aborted: the poller was stopped", {
          cause: e,
        });
        return { ok: false, error, consecutiveFailures };
      }
      controller.abort(); // the other lists of this poll are useless now
      const error = MtxError.from(e, "MTX_INTERNAL");
      consecutiveFailures++;
      lastError = error;
      emit({ type: "error", error, consecutiveFailures, lastGood: last });
      return { ok: false, error, consecutiveFailures };
    } finally {
      pollAbort = null;
    }
  };

  const pollNow = (): Promise<PollResult> => {
    inflight ??= poll().finally(() => {
      inflight = null;
    });
    return inflight;
  };

  const schedule = (delayMs: number) => {
    timer = clock.setTimeout(() => {
      timer = null;
      const startedAt = clock.now();
      void pollNow().then(() => {
        if (!running) return;
        const jitter = intervalMs * jitterRatio * (Math.random() * 2 - 1);
        schedule(Math.max(0, intervalMs + jitter - (clock.now() - startedAt)));
      });
    }, delayMs);
  };

  const stop = async () => {
    running = false;
    if (timer !== null) clock.clearTimeout(timer);
    timer = null;
    pollAbort?.abort();
    await inflight;
  };

  signal?.addEventListener("abort", () => void stop(), { once: true });

  return {
    start() {
      if (running || signal?.aborted === true) return;
      running = true;
      schedule(0);
    },
    stop,
    pollNow,
    current() {
      if (last === null) return null;
      const ageMs = clock.now() - last.takenAt;
      return {
        snapshot: last,
        takenAt: last.takenAt,
        ageMs,
        stale: consecutiveFailures > 0 || ageMs > 2 * intervalMs,
        consecutiveFailures,
        lastError,
      };
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    [Symbol.asyncDispose]: stop,
  };
}
