import { MtxError, parseConfig } from "@mtx-fleet/plugin-api";
import { describe, expect, it } from "vitest";
import { DEFAULT_READ_URL, DEFAULT_URL_SCHEMES, probeConfig } from "./probe-config.ts";

describe("probe config", () => {
  it("fills every default", () => {
    const config = parseConfig(probeConfig, {});
    expect(config.readUrl).toBe(DEFAULT_READ_URL);
    expect(config.deep).toEqual({
      enabled: true,
      intervalMs: 300_000,
      jitter: 0.2,
      recheckIntervalMs: 60_000,
      newStreamDelayMs: 3_000,
      minGapMs: 30_000,
      sampleSeconds: 5,
      timeoutMs: 20_000,
      maxConcurrent: 2,
      maxQueued: 32,
      backoffBaseMs: 10_000,
      backoffMaxMs: 1_800_000,
    });
    expect(config.thresholds).toEqual({
      stallAfterMs: 1_500,
      framesInErrorPerMinute: 1,
      blackMinSeconds: 2,
      blackPixelThreshold: 0.1,
      freezeMinSeconds: 2,
      freezeNoiseDb: -60,
      silenceMinSeconds: 2,
      silenceNoiseDb: -50,
      fpsDropRatio: 0.8,
      startupMaxMs: 5_000,
      srtLossRatePercent: 1,
      srtRttMs: 500,
    });
    expect(config.urls).toEqual({ allowSchemes: DEFAULT_URL_SCHEMES, allowNetworks: [] });
    expect([config.overrides, config.expectAudio, config.history.maxEntries]).toEqual([[], false, 50]);
  });

  it("leaves the thresholds an override does not name unset, so the configured ones apply", () => {
    const config = parseConfig(probeConfig, { overrides: [{ match: "a", thresholds: { srtRttMs: 80 } }] });
    expect(config.overrides).toEqual([{ match: "a", thresholds: { srtRttMs: 80 } }]);
  });

  it("names each invalid field", () => {
    const parse = () =>
      parseConfig(
        probeConfig,
        {
          readUrl: "rtsp://127.0.0.1:8554/cam",
          deep: { maxConcurrent: 0 },
          overrides: [{ match: "a", thresholds: { black: 1 } }],
        },
        "plugins.probe.config",
      );
    expect(parse).toThrow(MtxError);
    expect(parse).toThrow(
      'invalid plugins.probe.config: plugins.probe.config.readUrl must match pattern "\\{path\\}"; ' +
        "plugins.probe.config.deep.maxConcurrent must be >= 1; " +
        "plugins.probe.config.overrides.0.thresholds.black: unknown option (remove it or check its spelling)",
    );
  });
});
