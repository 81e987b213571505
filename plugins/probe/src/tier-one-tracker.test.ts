import type { MtxSnapshot } from "@mtx-fleet/mediamtx";
import { parseConfig } from "@mtx-fleet/plugin-api";
import { describe, expect, it } from "vitest";
import { judgeStream } from "./judge-stream.ts";
import { probeConfig } from "./probe-config.ts";
import { path, snapshot, srtConn } from "./snapshot-fixture.ts";
import { createPolicyResolver } from "./stream-policy.ts";
import { tierOneFindings } from "./tier-one-findings.ts";
import { TierOneTracker } from "./tier-one-tracker.ts";

const policyFor = createPolicyResolver(parseConfig(probeConfig, { expectAudio: true }));

/** Tier-1 verdicts of `name` after each snapshot, deep probes off. */
function verdicts(snapshots: MtxSnapshot[], name: string): Array<[string, string[]]> {
  const tracker = new TierOneTracker();
  return snapshots.map((s) => {
    const obs = tracker.observe(s).observations.find((o) => o.name === name);
    if (obs === undefined) return ["absent", []];
    const judged = judgeStream(tierOneFindings(obs, policyFor(name), 0), { kind: "off" });
    return [judged.verdict, judged.reasons.map((r) => r.code)];
  });
}

describe("TierOneTracker with tier-1 findings", () => {
  it("flags a stall on the first poll stallAfterMs after the last growth, and its end", () => {
    const bytes = [100, 200, 300, 300, 300, 400];
    const snaps = bytes.map((b, i) => snapshot(i * 2_000, [path("cam", { inboundBytes: b })]));
    expect(verdicts(snaps, "cam")).toEqual([
      ["unknown", ["not_measured"]],
      ["healthy", []],
      ["healthy", []],
      ["unhealthy", ["stalled"]],
      ["unhealthy", ["stalled"]],
      ["healthy", []],
    ]);
  });

  it("does not call a stream stalled between bursts shorter than stallAfterMs", () => {
    const bytes = [100, 100, 200, 200, 300, 300, 300, 300, 300];
    const snaps = bytes.map((b, i) => snapshot(i * 500, [path("cam", { inboundBytes: b })]));
    expect(verdicts(snaps, "cam").map(([v]) => v)).toEqual([
      "unknown",
      "healthy",
      "healthy",
      "healthy",
      "healthy",
      "healthy",
      "healthy", // 1000 ms without growth
      "unhealthy", // 1500 ms
      "unhealthy",
    ]);
  });

  it("catches a stream that is stalled from the moment it appears", () => {
    const snaps = [0, 2_000].map((t) => snapshot(t, [path("cam", { inboundBytes: 0 })]));
    expect(verdicts(snaps, "cam")).toEqual([
      ["unknown", ["not_measured"]],
      ["unhealthy", ["stalled"]],
    ]);
  });

  it("starts over when the stream restarts (new availableTime or counters reset)", () => {
    const tracker = new TierOneTracker();
    const a = tracker.observe(snapshot(0, [path("cam", { inboundBytes: 500 })])).observations[0];
    const b = tracker.observe(snapshot(1_000, [path("cam", { inboundBytes: 900 })])).observations[0];
    const c = tracker.observe(snapshot(2_000, [path("cam", { inboundBytes: 50 })])).observations[0];
    const d = tracker.observe(
      snapshot(3_000, [path("cam", { inboundBytes: 60, availableTime: "2026-08-01T11:00:00Z" })]),
    ).observations[0];
    expect([a, b, c, d].map((o) => [o?.newStream, o?.measured, o?.inboundBytesPerSecond])).toEqual([
      [true, false, null],
      [false, true, 400],
      [true, false, null],
      [true, false, null],
    ]);
  });

  it("says unavailable only for literal paths; regex-instantiated ones are idle and may vanish", () => {
    const literal = path("cam", { available: false, availableTime: null, source: null, tracks: [] });
    const regex = path("live/7", {
      confName: "~^live/.*$",
      available: false,
      availableTime: null,
      tracks: [],
    });
    const tracker = new TierOneTracker();
    const judged = tracker
      .observe(snapshot(0, [literal, regex]))
      .observations.map((o) => judgeStream(tierOneFindings(o, policyFor(o.name), 0), { kind: "pending" }));
    expect(judged.map((j) => [j.verdict, j.reasons.map((r) => r.code)])).toEqual([
      ["unhealthy", ["unavailable"]],
      ["unknown", ["idle"]],
    ]);
    expect(tracker.observe(snapshot(1_000, [literal])).vanished).toEqual(["live/7"]);
  });

  it("counts frames in error over the last minute", () => {
    const errors = [0, 0, 3, 3, 3];
    const times = [0, 1_000, 2_000, 61_000, 62_500];
    const snaps = errors.map((e, i) =>
      snapshot(times[i] ?? 0, [path("cam", { inboundBytes: i * 100, inboundFramesInError: e })]),
    );
    expect(verdicts(snaps, "cam")).toEqual([
      ["unknown", ["not_measured"]],
      ["healthy", []],
      ["degraded", ["frames_in_error"]],
      ["degraded", ["frames_in_error"]],
      ["healthy", []],
    ]);
  });

  it("reports a missing audio track from the snapshot, and SRT link quality when srtconns are polled", () => {
    const video = path("cam", {
      inboundBytes: 0,
      tracks: ["H264"],
      source: { type: "srtConn", id: "srt-1" },
    });
    const conn = srtConn("cam", { msRTT: 620.5, packetsReceivedLossRate: 2.5, mbpsReceiveRate: 3.2 });
    const tracker = new TierOneTracker();
    tracker.observe(snapshot(0, [video], { srtConns: [conn] }));
    const obs = tracker.observe(snapshot(1_000, [{ ...video, inboundBytes: 10 }], { srtConns: [conn] }))
      .observations[0];
    if (obs === undefined) throw new Error("no observation");
    const findings = tierOneFindings(obs, policyFor("cam"), 0);
    expect(findings.reasons.map((r) => [r.code, r.severity])).toEqual([
      ["no_audio", "unhealthy"],
      ["srt_rtt", "degraded"],
      ["srt_loss", "degraded"],
    ]);
    expect(findings.values).toEqual({
      available: true,
      viewers: 0,
      tracks: "H264",
      inboundBytesPerSecond: 10,
      noGrowthMs: 0,
      framesInErrorLastMinute: 0,
      srtRttMs: 620.5,
      srtReceiveLossRatePercent: 2.5,
      srtReceiveMbps: 3.2,
      srtLinkCapacityMbps: 0,
    });
  });

  it("never counts the probe's own reads as viewers", () => {
    const tracker = new TierOneTracker();
    const readers = [
      { type: "rtspSession", id: "a" },
      { type: "rtspSession", id: "probe" },
    ];
    const obs = tracker.observe(snapshot(0, [path("cam", { readers })])).observations[0];
    if (obs === undefined) throw new Error("no observation");
    expect([
      tierOneFindings(obs, policyFor("cam"), 1).values.viewers,
      tierOneFindings(obs, policyFor("cam"), 5).values.viewers,
    ]).toEqual([1, 0]);
  });
});
