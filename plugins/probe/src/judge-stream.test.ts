import { parseConfig } from "@mtx-fleet/plugin-api";
import { describe, expect, it } from "vitest";
import type { DeepProbeMeasurement } from "./deep/deep-probe-types.ts";
import { deepFindings } from "./deep-findings.ts";
import { HealthLedger } from "./health-ledger.ts";
import { judgeStream } from "./judge-stream.ts";
import { probeConfig } from "./probe-config.ts";
import { createPolicyResolver } from "./stream-policy.ts";
import type { TierOneFindings } from "./tier-one-findings.ts";

const policy = createPolicyResolver(
  parseConfig(probeConfig, { overrides: [{ match: "~^tv/.*", expectAudio: true, expectedFps: 25 }] }),
);

/** What the engine measures of a clean 640x360 H264 + AAC stream over 4 s. */
const clean: DeepProbeMeasurement = {
  startupMs: 800,
  elapsedMs: 5_100,
  cpuMs: 900,
  video: { codec: "h264", width: 640, height: 360, declaredFps: 25, measuredFps: 24.9 },
  audio: { codec: "aac", sampleRate: 48_000, channels: 1 },
  bitrateBps: 412_345.6,
  sampledSeconds: 4,
  black: [],
  frozen: [],
  silent: [],
};
const span = { startSeconds: 0, endSeconds: null, durationSeconds: 4 };
const flowing: TierOneFindings = { reasons: [], values: { available: true, viewers: 2 }, blocking: false };

function judge(m: Partial<DeepProbeMeasurement>, path = "tv/1") {
  const findings = deepFindings({ kind: "measured", measurement: { ...clean, ...m } }, policy(path));
  const judged = judgeStream(flowing, { kind: "found", findings, checkedAt: 1_000 });
  return [judged.verdict, judged.reasons.map((r) => r.code)];
}

describe("deep findings", () => {
  it("judges each simulator scenario by what the engine measures", () => {
    const video = clean.video ?? null;
    expect({
      healthy: judge({}),
      black: judge({ black: [span], frozen: [span] }),
      frozen: judge({ frozen: [span] }),
      lowfps: judge({ video: video && { ...video, measuredFps: 5 } }),
      silent: judge({ silent: [span] }),
      noaudio: judge({ audio: null }),
      noaudioNotExpected: judge({ audio: null }, "cam/1"),
      slowStart: judge({ startupMs: 9_000 }),
    }).toEqual({
      healthy: ["healthy", []],
      black: ["unhealthy", ["black"]],
      frozen: ["unhealthy", ["frozen"]],
      lowfps: ["degraded", ["fps_drop"]],
      silent: ["degraded", ["silent"]],
      noaudio: ["unhealthy", ["no_audio"]],
      noaudioNotExpected: ["healthy", []],
      slowStart: ["degraded", ["slow_start"]],
    });
  });

  it("compares fps with what the stream declares when no expectedFps is configured", () => {
    const video = { codec: "h264", width: 640, height: 360, declaredFps: 25, measuredFps: 5 };
    expect(judge({ video }, "cam/1")).toEqual(["degraded", ["fps_drop"]]);
    expect(judge({ video: { ...video, declaredFps: 5 } }, "cam/1")).toEqual(["healthy", []]);
  });

  it("carries the measured values", () => {
    const findings = deepFindings({ kind: "measured", measurement: clean }, policy("tv/1"));
    expect(findings.values).toEqual({
      startupMs: 800,
      probeElapsedMs: 5_100,
      probeCpuMs: 900,
      sampledSeconds: 4,
      blackSeconds: 0,
      frozenSeconds: 0,
      silentSeconds: 0,
      hasVideo: true,
      hasAudio: true,
      videoCodec: "h264",
      width: 640,
      height: 360,
      declaredFps: 25,
      fps: 24.9,
      expectedFps: 25,
      audioCodec: "aac",
      audioSampleRate: 48_000,
      audioChannels: 1,
      bitrateBps: 412_346,
    });
  });

  it("turns failures and timeouts into degraded reasons, and an abort into nothing", () => {
    const p = policy("cam/1");
    const failed = deepFindings({ kind: "failed", message: "404 Not Found", stderr: "", elapsedMs: 40 }, p);
    const timeout = deepFindings({ kind: "timeout", elapsedMs: 20_000 }, p);
    const aborted = deepFindings({ kind: "aborted", elapsedMs: 3 }, p);
    expect([failed, timeout, aborted].map((f) => f.reasons.map((r) => [r.code, r.severity]))).toEqual([
      [["probe_failed", "degraded"]],
      [["probe_timeout", "degraded"]],
      [],
    ]);
  });
});

describe("judgeStream", () => {
  it("is unknown before the first deep probe, and lets tier 1 alone speak while the stream is not flowing", () => {
    const stalled: TierOneFindings = {
      reasons: [{ code: "stalled", severity: "unhealthy", message: "no bytes" }],
      values: { available: true },
      blocking: true,
    };
    const black = deepFindings({ kind: "measured", measurement: { ...clean, black: [span] } }, policy("x"));
    expect([
      judgeStream(flowing, { kind: "pending" }).reasons.map((r) => r.code),
      judgeStream(flowing, { kind: "pending" }).verdict,
      judgeStream(stalled, { kind: "found", findings: black, checkedAt: 1 }),
    ]).toEqual([
      ["not_probed"],
      "unknown",
      { verdict: "unhealthy", reasons: stalled.reasons, values: stalled.values },
    ]);
  });

  it("gives a reason both tiers found once", () => {
    const noAudio = { code: "no_audio", severity: "unhealthy", message: "tier 1" } as const;
    const deep = deepFindings({ kind: "measured", measurement: { ...clean, audio: null } }, policy("tv/1"));
    const judged = judgeStream(
      { ...flowing, reasons: [noAudio] },
      { kind: "found", findings: deep, checkedAt: 1 },
    );
    expect(judged.reasons).toEqual([noAudio]);
  });
});

describe("HealthLedger", () => {
  it("reports verdict changes (not the first unknown), keeps `since`, and bounds the history", () => {
    const ledger = new HealthLedger({ maxEntries: 3 });
    const unknown = { verdict: "unknown", reasons: [], values: {} } as const;
    const healthy = { verdict: "healthy", reasons: [], values: { fps: 25 } } as const;
    const black = {
      verdict: "unhealthy",
      reasons: [{ code: "black", severity: "unhealthy", message: "" }],
      values: {},
    } as const;
    const steps = [
      ledger.record("cam", unknown, 1),
      ledger.record("cam", healthy, 2),
      ledger.record("cam", { ...healthy, values: { fps: 24 } }, 3),
      ledger.record("cam", black, 4),
      ledger.record("cam", healthy, 5),
    ];
    expect(steps.map((s) => [s.health.verdict, s.health.since, s.verdictChange?.previous])).toEqual([
      ["unknown", 1, undefined],
      ["healthy", 2, "unknown"],
      ["healthy", 2, undefined],
      ["unhealthy", 4, "healthy"],
      ["healthy", 5, "unhealthy"],
    ]);
    expect(ledger.history("cam").map((h) => [h.at, h.previous, h.verdict])).toEqual([
      [2, "unknown", "healthy"],
      [4, "healthy", "unhealthy"],
      [5, "unhealthy", "healthy"],
    ]);
    expect(ledger.record("new", black, 6).verdictChange).toEqual({ previous: null });
  });
});
