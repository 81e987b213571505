import type { HealthReason } from "@mtx-fleet/plugin-api";
import type { Findings } from "./deep-findings.ts";
import { reason } from "./reason-codes.ts";
import type { StreamPolicy } from "./stream-policy.ts";
import { FRAMES_IN_ERROR_WINDOW_MS, type TierOneObservation } from "./tier-one-tracker.ts";

/** Tier-1 findings; `blocking` when the stream is not flowing, so picture findings are void. */
export interface TierOneFindings extends Findings {
  readonly blocking: boolean;
}

/**
 * Judges a tier-1 observation. `ownReaders` are the probe's own reads of the path, taken off
 * MediaMTX's readers so the `viewers` value never counts them.
 */
export function tierOneFindings(
  obs: TierOneObservation,
  policy: StreamPolicy,
  ownReaders: number,
): TierOneFindings {
  const t = policy.thresholds;
  const values: Record<string, number | string | boolean> = {
    available: obs.available,
    viewers: Math.max(0, obs.readers - ownReaders),
  };
  if (!obs.available) {
    const why = obs.literal
      ? reason("unavailable", "the configured path has no stream")
      : reason("idle", "the regex-instantiated path is listed without a stream");
    return { reasons: [why], values, blocking: true };
  }
  if (obs.tracks.length > 0) values.tracks = obs.tracks.join(", ");
  if (obs.inboundBytesPerSecond !== null)
    values.inboundBytesPerSecond = Math.round(obs.inboundBytesPerSecond);
  values.noGrowthMs = obs.noGrowthMs;
  if (!obs.measured) {
    return { reasons: [reason("not_measured", "first poll of this stream")], values, blocking: false };
  }
  if (obs.noGrowthMs >= t.stallAfterMs) {
    const message = `available, but no inbound bytes for ${obs.noGrowthMs} ms (limit ${t.stallAfterMs} ms)`;
    return { reasons: [reason("stalled", message)], values, blocking: true };
  }
  const reasons: HealthReason[] = [];
  if (obs.framesInErrorLastMinute !== null) {
    values.framesInErrorLastMinute = obs.framesInErrorLastMinute;
    if (obs.framesInErrorLastMinute >= t.framesInErrorPerMinute) {
      const message = `${obs.framesInErrorLastMinute} frames in error in the last ${FRAMES_IN_ERROR_WINDOW_MS / 1000} s`;
      reasons.push(reason("frames_in_error", message));
    }
  }
  if (policy.expectAudio && obs.hasAudioTrack === false) {
    reasons.push(reason("no_audio", `audio is expected; the stream has only ${obs.tracks.join(", ")}`));
  }
  reasons.push(...srtReasons(obs, policy, values));
  return { reasons, values, blocking: false };
}

function srtReasons(
  obs: TierOneObservation,
  policy: StreamPolicy,
  values: Record<string, number | string | boolean>,
): HealthReason[] {
  const srt = obs.srt;
  if (srt === null) return [];
  const t = policy.thresholds;
  const reasons: HealthReason[] = [];
  if (srt.rttMs !== null) {
    values.srtRttMs = srt.rttMs;
    if (srt.rttMs >= t.srtRttMs)
      reasons.push(reason("srt_rtt", `SRT RTT ${srt.rttMs} ms (limit ${t.srtRttMs} ms)`));
  }
  if (srt.receiveLossRatePercent !== null) {
    values.srtReceiveLossRatePercent = srt.receiveLossRatePercent;
    if (srt.receiveLossRatePercent >= t.srtLossRatePercent) {
      const message = `SRT receive loss ${srt.receiveLossRatePercent} % (limit ${t.srtLossRatePercent} %)`;
      reasons.push(reason("srt_loss", message));
    }
  }
  if (srt.receiveMbps !== null) values.srtReceiveMbps = srt.receiveMbps;
  if (srt.linkCapacityMbps !== null) values.srtLinkCapacityMbps = srt.linkCapacityMbps;
  return reasons;
}
