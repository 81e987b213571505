import type { HealthReason } from "@mtx-fleet/plugin-api";

/**
 * Every reason the probe gives, with the severity it carries and the tier that finds it.
 * Codes are stable (dashboards and alert rules match them): never renamed or reused; the
 * README lists them. Severity choices:
 * - what viewers cannot watch at all is `unhealthy` (gone, no data, black, frozen, no audio);
 * - what is watchable but wrong is `degraded` (silence can be a quiet scene, fps, startup,
 *   transport quality, decode errors);
 * - a probe that cannot read a stream tier 1 sees flowing is `degraded`, not `unhealthy`: the
 *   read path (readUrl, read auth, a disabled protocol) may be at fault, not the stream;
 * - `unknown` reasons say why there is no judgement yet; they never read as "off".
 */
export const REASON_CODES = {
  unavailable: {
    severity: "unhealthy",
    tier: 1,
    meaning: "A configured (literal) path has no stream; regex-instantiated paths report `unknown`.",
  },
  stalled: {
    severity: "unhealthy",
    tier: 1,
    meaning: "The stream is available but its inbound bytes stopped growing.",
  },
  frames_in_error: { severity: "degraded", tier: 1, meaning: "MediaMTX counts undecodable inbound frames." },
  srt_loss: { severity: "degraded", tier: 1, meaning: "An SRT publisher's receive loss rate is high." },
  srt_rtt: { severity: "degraded", tier: 1, meaning: "An SRT publisher's round-trip time is high." },
  no_audio: {
    severity: "unhealthy",
    tier: 1,
    meaning: "Audio is expected but the stream has no audio track.",
  },
  black: { severity: "unhealthy", tier: 2, meaning: "The sampled picture is black." },
  frozen: { severity: "unhealthy", tier: 2, meaning: "The sampled picture does not change." },
  silent: { severity: "degraded", tier: 2, meaning: "The sampled audio is silence." },
  fps_drop: {
    severity: "degraded",
    tier: 2,
    meaning: "Frames decoded per second are below the expected rate.",
  },
  slow_start: { severity: "degraded", tier: 2, meaning: "The probe waited long for the first frame." },
  probe_failed: { severity: "degraded", tier: 2, meaning: "The deep probe could not read the stream." },
  probe_timeout: { severity: "degraded", tier: 2, meaning: "The deep probe hit its hard timeout." },
  not_probed: {
    severity: "unknown",
    tier: 2,
    meaning: "Tier 1 found nothing wrong, and the stream has not been deep-probed yet.",
  },
  idle: {
    severity: "unknown",
    tier: 1,
    meaning:
      "A regex-instantiated path is listed (a reader waits) without a stream; it is not expected to be up.",
  },
  no_snapshot: {
    severity: "unknown",
    tier: 1,
    meaning: "The agent cannot poll MediaMTX (two polls failed in a row): nothing is measured now.",
  },
  not_measured: { severity: "unknown", tier: 1, meaning: "Nothing measured yet (first poll of the stream)." },
} as const satisfies Record<string, { severity: HealthReason["severity"]; tier: 1 | 2; meaning: string }>;

/** A stable reason code of the probe plugin. */
export type ReasonCode = keyof typeof REASON_CODES;

/** A reason with the severity of its code. */
export function reason(code: ReasonCode, message: string): HealthReason {
  return { code, severity: REASON_CODES[code].severity, message };
}
