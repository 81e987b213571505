import type { MtxPath, MtxSnapshot, MtxSrtConn } from "@mtx-fleet/mediamtx";

/** MediaMTX's audio codec labels (CONTRACT §2, `internal/formatlabel/label.go`). */
const AUDIO_CODECS = new Set([
  "Opus",
  "FLAC",
  "Vorbis",
  "MPEG-4 Audio",
  "MPEG-4 Audio LATM",
  "MPEG-1/2 Audio",
  "AC3",
  "Speex",
  "G726",
  "G722",
  "G711",
  "LPCM",
]);

/** Frames in error are judged over this window. */
export const FRAMES_IN_ERROR_WINDOW_MS = 60_000;

/** An SRT publisher's link, from the snapshot's `srtConns` (only when the agent polls them). */
export interface SrtLinkStats {
  readonly rttMs: number | null;
  readonly receiveLossRatePercent: number | null;
  readonly receiveMbps: number | null;
  readonly linkCapacityMbps: number | null;
}

/** What tier 1 knows of one path after a snapshot. Derived from the snapshot only. */
export interface TierOneObservation {
  readonly name: string;
  /** Configured by its own name (listed even when idle), not instantiated from a regex. */
  readonly literal: boolean;
  readonly available: boolean;
  /** Identifies the current stream (its `availableTime`); null when unavailable. */
  readonly streamSince: string | null;
  /** The stream (re)appeared with this snapshot: counters start again, old findings are void. */
  readonly newStream: boolean;
  /** False on the first snapshot of a stream: growth needs two. */
  readonly measured: boolean;
  readonly takenAt: number;
  readonly inboundBytesPerSecond: number | null;
  /** Time since inbound bytes last grew (or since the stream appeared), per the snapshots. */
  readonly noGrowthMs: number;
  /** Bytes grew in this snapshot after at least one without growth (a stall ended). */
  readonly resumed: boolean;
  /** null when the node does not count them (before v1.17). */
  readonly framesInErrorLastMinute: number | null;
  /** More frames in error in this snapshot than in the previous one. */
  readonly framesInErrorGrew: boolean;
  /** MediaMTX's readers, own probe reads included. */
  readonly readers: number;
  readonly tracks: readonly string[];
  /** null when the stream lists no tracks (yet). */
  readonly hasAudioTrack: boolean | null;
  readonly srt: SrtLinkStats | null;
}

interface PathState {
  streamSince: string | null;
  inboundBytes: number;
  framesInError: number | null;
  lastGrowthAt: number;
  seenAt: number;
  growing: boolean;
  snapshots: number;
  errors: Array<{ readonly at: number; readonly count: number }>;
}

/**
 * Tier 1: per-path state carried from one shared snapshot to the next (no request of its own).
 * Growth is computed here rather than from `snapshot.deltas` so a stream that appears already
 * stalled (never any growth) is caught too: its clock starts when it is first seen.
 */
export class TierOneTracker {
  readonly #paths = new Map<string, PathState>();

  /** Observes a snapshot; `vanished` lists paths the previous snapshots had and this one lacks. */
  observe(snapshot: MtxSnapshot): { observations: TierOneObservation[]; vanished: string[] } {
    const observations = snapshot.paths.map((path) => this.#observe(path, snapshot));
    const vanished = [...this.#paths.keys()].filter((name) => !snapshot.pathsByName.has(name));
    for (const name of vanished) this.#paths.delete(name);
    return { observations, vanished };
  }

  #observe(path: MtxPath, snapshot: MtxSnapshot): TierOneObservation {
    const at = snapshot.takenAt;
    const streamSince = path.available ? (path.availableTime ?? "available") : null;
    const old = this.#paths.get(path.name);
    const newStream =
      streamSince !== null &&
      (old === undefined || old.streamSince !== streamSince || path.inboundBytes < old.inboundBytes);
    const state: PathState =
      old === undefined || newStream || streamSince === null
        ? {
            streamSince,
            inboundBytes: path.inboundBytes,
            framesInError: path.inboundFramesInError,
            lastGrowthAt: at,
            seenAt: at,
            growing: true,
            snapshots: 0,
            errors: [],
          }
        : old;
    const grew = state.snapshots > 0 && path.inboundBytes > state.inboundBytes;
    const resumed = grew && !state.growing;
    if (grew) state.lastGrowthAt = at;
    if (state.snapshots > 0) state.growing = grew;
    const errorDelta =
      path.inboundFramesInError === null || state.framesInError === null
        ? 0
        : Math.max(0, path.inboundFramesInError - state.framesInError);
    if (errorDelta > 0) state.errors.push({ at, count: errorDelta });
    state.errors = state.errors.filter((entry) => at - entry.at < FRAMES_IN_ERROR_WINDOW_MS);
    const seconds = (at - state.seenAt) / 1000;
    const bytesPerSecond =
      state.snapshots > 0 && seconds > 0 ? (path.inboundBytes - state.inboundBytes) / seconds : null;
    state.inboundBytes = path.inboundBytes;
    state.framesInError = path.inboundFramesInError;
    state.seenAt = at;
    state.snapshots += 1;
    this.#paths.set(path.name, state);
    return {
      name: path.name,
      literal: path.confName === path.name,
      available: path.available,
      streamSince,
      newStream,
      measured: state.snapshots > 1,
      takenAt: at,
      inboundBytesPerSecond: bytesPerSecond,
      noGrowthMs: at - state.lastGrowthAt,
      resumed,
      framesInErrorLastMinute:
        path.inboundFramesInError === null ? null : state.errors.reduce((sum, e) => sum + e.count, 0),
      framesInErrorGrew: errorDelta > 0,
      readers: path.readers.length,
      tracks: path.tracks,
      hasAudioTrack: path.tracks.length === 0 ? null : path.tracks.some((track) => AUDIO_CODECS.has(track)),
      srt: srtStats(path, snapshot),
    };
  }
}

function srtStats(path: MtxPath, snapshot: MtxSnapshot): SrtLinkStats | null {
  const conns = snapshot.connections.srtConns;
  if (conns === undefined || path.source?.type !== "srtConn") return null;
  const conn: MtxSrtConn | undefined =
    conns.find((c) => c.id === path.source?.id) ??
    conns.find((c) => c.path === path.name && c.state === "publish");
  if (conn === undefined) return null;
  // A publisher's health is on the receive side (CONTRACT §10).
  return {
    rttMs: conn.srt.msRTT,
    receiveLossRatePercent: conn.srt.packetsReceivedLossRate,
    receiveMbps: conn.srt.mbpsReceiveRate,
    linkCapacityMbps: conn.srt.mbpsLinkCapacity,
  };
}
