import type { MtxSnapshot } from "@mtx-fleet/mediamtx";
import {
  type HealthReason,
  type Logger,
  MtxError,
  type StreamBoard,
  type StreamHealth,
  type StreamVerdict,
} from "@mtx-fleet/plugin-api";
import { deepFindings, type Findings } from "./deep-findings.ts";
import { HealthLedger, type HistoryEntry } from "./health-ledger.ts";
import { type DeepState, judgeStream } from "./judge-stream.ts";
import { ownReaderCounter, readerTypesFor } from "./own-reader-counter.ts";
import type { OwnReads } from "./own-reads.ts";
import { ProbeBreaker } from "./probe-breaker.ts";
import type { ProbeConfig } from "./probe-config.ts";
import { ProbeSchedule, type RunOutcome } from "./probe-schedule.ts";
import { reason } from "./reason-codes.ts";
import type { PolicyResolver, StreamPolicy } from "./stream-policy.ts";
import type { ProbeRun, StreamProber, ThumbnailRun } from "./stream-prober.ts";
import type { ThumbnailStore } from "./thumbnail-store.ts";
import { type TierOneFindings, tierOneFindings } from "./tier-one-findings.ts";
import { TierOneTracker } from "./tier-one-tracker.ts";

/** The payload of a `probe.verdict` event (journal and bus). */
export interface VerdictChange {
  readonly path: string;
  readonly verdict: StreamVerdict;
  readonly previous: StreamVerdict | null;
  readonly reasons: readonly HealthReason[];
  readonly values: Readonly<Record<string, number | string | boolean>>;
  readonly checkedAt: number;
}

/** Counts the monitor reports (Prometheus, through the plugin). */
export interface MonitorMetrics {
  probed(result: string, seconds: number): void;
  thumbnail(result: string): void;
}

export interface StreamMonitorOptions {
  readonly config: ProbeConfig;
  readonly policyFor: PolicyResolver;
  readonly prober: StreamProber;
  readonly thumbnails: ThumbnailStore;
  readonly ownReads: OwnReads;
  /** The probe's user agent: readers showing it are its own. */
  readonly userAgent: string;
  readonly board: StreamBoard;
  readonly onVerdict: (change: VerdictChange) => void;
  readonly metrics: MonitorMetrics;
  readonly logger: Logger;
  readonly now: () => number;
  readonly random?: () => number;
}

/** Deep-probe bookkeeping of one stream, as the local API shows it. */
export interface ProbeStats {
  runs: number;
  lastResult: string | null;
  lastRunAt: number | null;
}

interface StreamState {
  policy: StreamPolicy;
  streamSince: string | null;
  tierOne: TierOneFindings;
  flowing: boolean;
  deep: { readonly findings: Findings; readonly checkedAt: number } | null;
  readonly probes: ProbeStats;
}

/** What the local API and the actions show of one stream. */
export interface StreamReport {
  readonly path: string;
  readonly health: StreamHealth | null;
  readonly history: readonly HistoryEntry[];
  readonly deep: ProbeStats & { readonly nextDueAt: number | null; readonly failures: number };
  readonly thumbnail: { readonly takenAt: number; readonly bytes: number } | null;
}

/**
 * The probe's state machine: tier 1 on every shared snapshot, tier 2 (deep probes) and
 * thumbnails when due, and the verdict of each stream from both. Every judgement goes to the
 * stream board; a verdict change also goes to `onVerdict` (journal and bus).
 */
export class StreamMonitor {
  readonly #o: StreamMonitorOptions;
  readonly #tracker = new TierOneTracker();
  readonly #ledger: HealthLedger;
  readonly #deep: ProbeSchedule;
  readonly #thumbs: ProbeSchedule;
  readonly #streams = new Map<string, StreamState>();
  readonly #breaker: ProbeBreaker;
  readonly #probing = new Map<string, Promise<ProbeRun>>();
  readonly #thumbnailing = new Map<string, Promise<ThumbnailRun>>();

  constructor(options: StreamMonitorOptions) {
    this.#o = options;
    const { deep, thumbnails, history } = options.config;
    this.#ledger = new HealthLedger({ maxEntries: history.maxEntries });
    this.#breaker = new ProbeBreaker(deep);
    const random = options.random ?? Math.random;
    const pacing = {
      jitter: deep.jitter,
      backoffBaseMs: deep.backoffBaseMs,
      backoffMaxMs: deep.backoffMaxMs,
      random,
    };
    this.#deep = new ProbeSchedule({
      ...pacing,
      intervalMs: deep.intervalMs,
      recheckIntervalMs: deep.recheckIntervalMs,
      firstDelayMs: deep.newStreamDelayMs,
      minGapMs: deep.minGapMs,
    });
    // The first thumbnail follows the first deep probe; thumbnails ignore suspicion.
    this.#thumbs = new ProbeSchedule({
      ...pacing,
      intervalMs: thumbnails.intervalMs,
      recheckIntervalMs: thumbnails.intervalMs,
      firstDelayMs: deep.newStreamDelayMs * 2,
      minGapMs: thumbnails.intervalMs,
    });
  }

  /** Tier 1: judges every path of a snapshot; no request of its own. */
  observe(snapshot: MtxSnapshot): void {
    const { observations, vanished } = this.#tracker.observe(snapshot);
    const now = this.#o.now();
    const ownReaders = ownReaderCounter(snapshot, {
      userAgent: this.#o.userAgent,
      readerTypes: readerTypesFor(this.#o.config.readUrl),
    });
    const ownReads = this.#o.ownReads;
    for (const obs of observations) {
      const policy = this.#o.policyFor(obs.name);
      let state = this.#streams.get(obs.name);
      const path = snapshot.pathsByName.get(obs.name);
      const own = path === undefined ? 0 : ownReaders(path, ownReads.estimate(obs.name, snapshot.takenAt));
      // Set with each snapshot, so viewers = readers - own holds for the snapshot shown with it.
      this.#o.board.setOwnReaders(obs.name, own);
      const tierOne = tierOneFindings(obs, policy, own);
      if (state === undefined) {
        state = { policy, streamSince: null, tierOne, flowing: false, deep: null, probes: emptyStats() };
        this.#streams.set(obs.name, state);
      }
      if (obs.newStream) {
        state.deep = null;
        this.#deep.appeared(obs.name, now);
        this.#thumbs.appeared(obs.name, now);
      }
      Object.assign(state, { policy, tierOne, streamSince: obs.streamSince });
      state.flowing = obs.available && !tierOne.blocking;
      if (state.flowing && policy.deep && (obs.framesInErrorGrew || obs.resumed))
        this.#deep.suspect(obs.name, now);
      this.#evaluate(obs.name, state, obs.takenAt);
    }
    for (const path of vanished) this.#vanish(path, snapshot.takenAt);
    ownReads.prune(snapshot.takenAt);
  }

  /**
   * The shared poll keeps failing (MediaMTX down or restarting): every stream is `unknown`
   * (`no_snapshot`) until a snapshot comes again — a last "healthy" would claim what nobody
   * measures now. Nothing is probed meanwhile (the streams are not known to flow).
   */
  snapshotsFailing(at: number, error: string): void {
    for (const [path, state] of this.#streams) {
      state.flowing = false;
      state.tierOne = {
        reasons: [reason("no_snapshot", `MediaMTX cannot be polled: ${error}`)],
        values: { available: false },
        blocking: true,
      };
      this.#evaluate(path, state, at);
    }
  }

  /** Starts the deep probes and thumbnails that are due, while slots are free. */
  tick(): void {
    const now = this.#o.now();
    const prober = this.#o.prober;
    if (!this.#breaker.allows(now)) return;
    for (const path of this.#deep.due(now)) {
      if (!prober.hasFreeSlot()) return;
      const state = this.#streams.get(path);
      if (state === undefined || !state.flowing || !state.policy.deep || prober.isProbing(path)) continue;
      this.#deep.started(path, now);
      this.#probe(path, state, { queue: false }).catch((error: unknown) =>
        this.#runFailed(this.#deep, "deep probe", path, error),
      );
    }
    if (!this.#o.config.thumbnails.enabled) return;
    for (const path of this.#thumbs.due(now)) {
      if (!prober.hasFreeSlot()) return;
      const state = this.#streams.get(path);
      if (state === undefined || !state.flowing || !state.policy.deep || prober.isTakingThumbnail(path))
        continue;
      this.#thumbs.started(path, now);
      this.#thumbnail(path, state, { queue: false }).catch((error: unknown) =>
        this.#runFailed(this.#thumbs, "thumbnail", path, error),
      );
    }
  }

  /** A deep probe now (on demand, may queue); undefined when the stream is not flowing. */
  async probeNow(path: string, signal?: AbortSignal): Promise<ProbeRun | undefined> {
    const state = this.#known(path);
    if (!state.flowing) return undefined;
    this.#deep.started(path, this.#o.now());
    return this.#probe(path, state, { queue: true, ...(signal === undefined ? {} : { signal }) });
  }

  /** A thumbnail now (on demand, may queue); undefined when the stream is not flowing. */
  async thumbnailNow(path: string, signal?: AbortSignal): Promise<ThumbnailRun | undefined> {
    const state = this.#known(path);
    if (!state.flowing) return undefined;
    this.#thumbs.started(path, this.#o.now());
    return this.#thumbnail(path, state, { queue: true, ...(signal === undefined ? {} : { signal }) });
  }

  /** Non-null while scheduled probes pause because every probe failed lately. */
  pausedReason(): string | null {
    return this.#breaker.openReason(this.#o.now());
  }

  has(path: string): boolean {
    return this.#streams.has(path);
  }

  paths(): readonly string[] {
    return [...this.#streams.keys()].sort();
  }

  report(path: string): StreamReport | undefined {
    const state = this.#streams.get(path);
    if (state === undefined) return undefined;
    const schedule = this.#deep.state(path);
    const thumbnail = this.#o.thumbnails.info(path);
    return {
      path,
      health: this.#ledger.health(path) ?? null,
      history: this.#ledger.history(path),
      deep: { ...state.probes, nextDueAt: schedule?.dueAt ?? null, failures: schedule?.failures ?? 0 },
      thumbnail: thumbnail === undefined ? null : { takenAt: thumbnail.takenAt, bytes: thumbnail.bytes },
    };
  }

  #known(path: string): StreamState {
    const state = this.#streams.get(path);
    if (state === undefined) {
      throw new MtxError("MTX_NOT_FOUND", `MediaMTX lists no path '${path}'`, { details: { path } });
    }
    return state;
  }

  /** One deep probe per stream at a time: a second request (scheduled or not) shares it. */
  #probe(
    path: string,
    state: StreamState,
    options: { queue: boolean; signal?: AbortSignal },
  ): Promise<ProbeRun> {
    return once(this.#probing, path, () => this.#probeAndApply(path, state, options));
  }

  #thumbnail(
    path: string,
    state: StreamState,
    options: { queue: boolean; signal?: AbortSignal },
  ): Promise<ThumbnailRun> {
    return once(this.#thumbnailing, path, () => this.#thumbnailAndStore(path, state, options));
  }

  async #probeAndApply(
    path: string,
    state: StreamState,
    options: { queue: boolean; signal?: AbortSignal },
  ): Promise<ProbeRun> {
    const since = state.streamSince;
    const run = await this.#o.prober.deepProbe(path, state.policy.thresholds, options);
    this.#o.metrics.probed(run.result.kind, (run.endedAt - run.startedAt) / 1000);
    if (run.result.kind === "measured") this.#breaker.succeeded();
    else if (run.result.kind === "failed") this.#breaker.failed(run.endedAt, run.result.message);
    else if (run.result.kind === "timeout") this.#breaker.failed(run.endedAt, "timeout");
    const current = this.#streams.get(path);
    // A stream that restarted or vanished while it was probed is judged by its next probe.
    if (run.result.kind === "aborted" || current === undefined || current.streamSince !== since) return run;
    const findings = deepFindings(run.result, current.policy);
    current.deep = { findings, checkedAt: run.endedAt };
    Object.assign(current.probes, {
      runs: current.probes.runs + 1,
      lastResult: run.result.kind,
      lastRunAt: run.startedAt,
    });
    this.#deep.finished(path, outcomeOf(run.result.kind, findings), this.#o.now());
    this.#evaluate(path, current, run.endedAt);
    return run;
  }

  async #thumbnailAndStore(
    path: string,
    state: StreamState,
    options: { queue: boolean; signal?: AbortSignal },
  ): Promise<ThumbnailRun> {
    const since = state.streamSince;
    const run = await this.#o.prober.thumbnail(path, options);
    this.#o.metrics.thumbnail(run.kind);
    if (run.kind === "captured") this.#breaker.succeeded();
    else if (run.kind !== "aborted")
      this.#breaker.failed(run.takenAt, run.kind === "failed" ? run.message : run.kind);
    if (run.kind === "captured") await this.#o.thumbnails.put(path, run.jpeg, run.takenAt);
    if (run.kind !== "aborted" && this.#streams.get(path)?.streamSince === since) {
      this.#thumbs.finished(path, run.kind === "captured" ? "clean" : "failed", this.#o.now());
    }
    return run;
  }

  #runFailed(schedule: ProbeSchedule, what: string, path: string, error: unknown): void {
    const err = MtxError.from(error);
    this.#o.logger.warn({ path, err: err.toJSON() }, `${what} could not run`);
    schedule.finished(path, "failed", this.#o.now());
    this.#breaker.failed(this.#o.now(), err.message);
  }

  #evaluate(path: string, state: StreamState, checkedAt: number): void {
    const deep: DeepState = !state.policy.deep
      ? { kind: "off" }
      : state.deep === null
        ? { kind: "pending" }
        : { kind: "found", findings: state.deep.findings, checkedAt: state.deep.checkedAt };
    const update = this.#ledger.record(path, judgeStream(state.tierOne, deep), checkedAt);
    this.#o.board.setHealth(path, update.health);
    if (update.verdictChange === null) return;
    const { verdict, reasons, values } = update.health;
    this.#o.onVerdict({ path, verdict, previous: update.verdictChange.previous, reasons, values, checkedAt });
  }

  /** A path MediaMTX no longer lists (regex paths vanish when idle, CONTRACT §9): forgotten. */
  #vanish(path: string, checkedAt: number): void {
    const last = this.#ledger.health(path);
    if (last !== undefined && last.verdict !== "unknown") {
      const reasons = [reason("idle", "MediaMTX no longer lists the path")];
      this.#o.onVerdict({
        path,
        verdict: "unknown",
        previous: last.verdict,
        reasons,
        values: { available: false },
        checkedAt,
      });
    }
    this.#ledger.forget(path);
    this.#deep.forget(path);
    this.#thumbs.forget(path);
    this.#streams.delete(path);
    this.#o.board.clearHealth(path);
    this.#o.board.setOwnReaders(path, 0);
  }
}

/** The running `run()` of `key`, or a new one, forgotten when it settles. */
function once<T>(running: Map<string, Promise<T>>, key: string, run: () => Promise<T>): Promise<T> {
  const current = running.get(key);
  if (current !== undefined) return current;
  const started = run().finally(() => running.delete(key));
  running.set(key, started);
  return started;
}

function emptyStats(): ProbeStats {
  return { runs: 0, lastResult: null, lastRunAt: null };
}

function outcomeOf(kind: string, findings: Findings): RunOutcome {
  if (kind !== "measured") return "failed";
  return findings.reasons.length === 0 ? "clean" : "problem";
}
