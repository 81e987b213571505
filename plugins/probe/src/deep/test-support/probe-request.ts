import type { DeepProbeRequest } from "../deep-probe-types.ts";

/** A deep-probe request with the thresholds the plugin uses by default, for tests and the bench. */
export function probeRequest(url: string, overrides: Partial<DeepProbeRequest> = {}): DeepProbeRequest {
  return {
    url,
    sampleSeconds: 2,
    timeoutMs: 15_000,
    checks: { black: true, freeze: true, silence: true },
    thresholds: {
      blackMinSeconds: 0.5,
      blackPixelThreshold: 0.1,
      freezeMinSeconds: 1,
      freezeNoiseDb: -60,
      silenceMinSeconds: 1,
      silenceNoiseDb: -50,
    },
    userAgent: "mtx-fleet-probe/test",
    ...overrides,
  };
}
