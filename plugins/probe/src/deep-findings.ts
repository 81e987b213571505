import type { HealthReason } from "@mtx-fleet/plugin-api";
import type { DeepProbeMeasurement, DeepProbeResult, DetectedSpan } from "./deep/deep-probe-types.ts";
import { reason } from "./reason-codes.ts";
import type { StreamPolicy } from "./stream-policy.ts";

/** What a judgement takes from one source: reasons and the measured values behind them. */
export interface Findings {
  readonly reasons: readonly HealthReason[];
  readonly values: Readonly<Record<string, number | string | boolean>>;
}

const seconds = (spans: readonly DetectedSpan[]): number =>
  round(spans.reduce((sum, span) => sum + span.durationSeconds, 0));

function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** The reasons and values of a deep probe's result, judged against the stream's policy. */
export function deepFindings(result: DeepProbeResult, policy: StreamPolicy): Findings {
  switch (result.kind) {
    case "measured":
      return measuredFindings(result.measurement, policy);
    case "failed":
      return {
        reasons: [reason("probe_failed", `the deep probe could not read the stream: ${result.message}`)],
        values: { probeElapsedMs: Math.round(result.elapsedMs) },
      };
    case "timeout":
      return {
        reasons: [reason("probe_timeout", `the deep probe did not finish within ${result.elapsedMs} ms`)],
        values: { probeElapsedMs: Math.round(result.elapsedMs) },
      };
    // An aborted probe (plugin stopping) measured nothing and judges nothing.
    case "aborted":
      return { reasons: [], values: {} };
    default:
      return result satisfies never;
  }
}

function measuredFindings(m: DeepProbeMeasurement, policy: StreamPolicy): Findings {
  const t = policy.thresholds;
  const reasons: HealthReason[] = [];
  const sampled = round(m.sampledSeconds);
  const black = seconds(m.black);
  const frozen = seconds(m.frozen);
  const silent = seconds(m.silent);
  if (m.black.length > 0) {
    reasons.push(
      reason(
        "black",
        `black for ${black} s of ${sampled} s sampled (runs of ${t.blackMinSeconds} s or more)`,
      ),
    );
  } else if (m.frozen.length > 0) {
    // A black picture is also a still one: `frozen` is only reported when it is not black.
    reasons.push(
      reason(
        "frozen",
        `frozen for ${frozen} s of ${sampled} s sampled (runs of ${t.freezeMinSeconds} s or more)`,
      ),
    );
  }
  if (m.audio === null && policy.expectAudio) {
    reasons.push(reason("no_audio", "audio is expected but the stream has no audio track"));
  }
  if (m.audio !== null && m.silent.length > 0) {
    reasons.push(
      reason("silent", `silent for ${silent} s of ${sampled} s sampled (under ${t.silenceNoiseDb} dB)`),
    );
  }
  const expectedFps = policy.expectedFps ?? m.video?.declaredFps ?? null;
  const fps = m.video?.measuredFps ?? null;
  if (expectedFps !== null && fps !== null && fps < expectedFps * t.fpsDropRatio) {
    reasons.push(
      reason(
        "fps_drop",
        `${round(fps, 1)} fps decoded, ${round(expectedFps, 1)} expected (alarm under ${round(expectedFps * t.fpsDropRatio, 1)})`,
      ),
    );
  }
  if (m.startupMs > t.startupMaxMs) {
    reasons.push(
      reason("slow_start", `first frame after ${Math.round(m.startupMs)} ms (limit ${t.startupMaxMs} ms)`),
    );
  }
  return { reasons, values: measuredValues(m, { black, frozen, silent, sampled, expectedFps }) };
}

function measuredValues(
  m: DeepProbeMeasurement,
  derived: { black: number; frozen: number; silent: number; sampled: number; expectedFps: number | null },
): Record<string, number | string | boolean> {
  const values: Record<string, number | string | boolean> = {
    startupMs: Math.round(m.startupMs),
    probeElapsedMs: Math.round(m.elapsedMs),
    probeCpuMs: Math.round(m.cpuMs),
    sampledSeconds: derived.sampled,
    blackSeconds: derived.black,
    frozenSeconds: derived.frozen,
    hasVideo: m.video !== null,
    hasAudio: m.audio !== null,
  };
  const put = (name: string, value: number | string | null | undefined): void => {
    if (value !== null && value !== undefined)
      values[name] = typeof value === "number" ? round(value) : value;
  };
  put("videoCodec", m.video?.codec);
  put("width", m.video?.width);
  put("height", m.video?.height);
  put("declaredFps", m.video?.declaredFps);
  put("fps", m.video?.measuredFps);
  put("expectedFps", derived.expectedFps);
  put("audioCodec", m.audio?.codec);
  put("audioSampleRate", m.audio?.sampleRate);
  put("audioChannels", m.audio?.channels);
  if (m.audio !== null) values.silentSeconds = derived.silent;
  put("bitrateBps", m.bitrateBps === null ? null : Math.round(m.bitrateBps));
  return values;
}
