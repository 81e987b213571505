import { describe, expect, it } from "vitest";
import { BREAKER_FAILURES, ProbeBreaker } from "./probe-breaker.ts";
import { ProbeSchedule } from "./probe-schedule.ts";

const options = {
  intervalMs: 300_000,
  recheckIntervalMs: 60_000,
  firstDelayMs: 3_000,
  minGapMs: 30_000,
  jitter: 0.2,
  backoffBaseMs: 10_000,
  backoffMaxMs: 40_000,
};

describe("ProbeSchedule", () => {
  it("runs a new stream after the first delay, then every interval, sooner while it has a problem", () => {
    const schedule = new ProbeSchedule({ ...options, random: () => 0 });
    schedule.appeared("cam", 0);
    expect([schedule.due(2_999), schedule.due(3_000)]).toEqual([[], ["cam"]]);
    schedule.started("cam", 3_000);
    expect(schedule.due(10_000_000)).toEqual([]);
    schedule.finished("cam", "clean", 5_000);
    expect(schedule.state("cam")?.dueAt).toBe(305_000);
    schedule.started("cam", 305_000);
    schedule.finished("cam", "problem", 306_000);
    expect(schedule.state("cam")?.dueAt).toBe(366_000);
  });

  it("backs off exponentially while runs fail, up to the maximum, and starts over after a success", () => {
    const schedule = new ProbeSchedule({ ...options, random: () => 0 });
    schedule.appeared("cam", 0);
    const delays: number[] = [];
    let now = 3_000;
    for (let i = 0; i < 4; i++) {
      schedule.started("cam", now);
      schedule.finished("cam", "failed", now);
      const next = schedule.state("cam")?.dueAt ?? 0;
      delays.push(next - now);
      now = next;
    }
    expect([delays, schedule.state("cam")?.failures]).toEqual([[10_000, 20_000, 40_000, 40_000], 4]);
    schedule.started("cam", now);
    schedule.finished("cam", "clean", now);
    expect(schedule.state("cam")?.failures).toBe(0);
  });

  it("brings the next run forward on suspicion, no closer than minGapMs to the last, and not before the first", () => {
    const schedule = new ProbeSchedule({ ...options, random: () => 0 });
    schedule.appeared("cam", 0);
    schedule.suspect("cam", 1_000);
    expect(schedule.state("cam")?.dueAt).toBe(3_000);
    schedule.started("cam", 3_000);
    schedule.finished("cam", "clean", 4_000);
    schedule.suspect("cam", 10_000);
    expect(schedule.state("cam")?.dueAt).toBe(33_000);
    schedule.suspect("cam", 50_000);
    expect(schedule.due(50_000)).toEqual(["cam"]);
  });

  it("spreads delays by the jitter and orders due streams by how overdue they are", () => {
    const schedule = new ProbeSchedule({ ...options, random: () => 1 });
    schedule.appeared("b", 0);
    schedule.appeared("a", 100);
    expect([schedule.state("b")?.dueAt, schedule.due(10_000)]).toEqual([3_600, ["b", "a"]]);
  });
});

describe("ProbeBreaker", () => {
  it("opens after BREAKER_FAILURES failures in a row, longer while trials fail, and closes on a success", () => {
    const breaker = new ProbeBreaker({ backoffBaseMs: 1_000, backoffMaxMs: 3_000 });
    for (let i = 1; i < BREAKER_FAILURES; i++) breaker.failed(0, "refused");
    expect(breaker.allows(0)).toBe(true);
    breaker.failed(0, "Connection refused");
    expect([breaker.allows(999), breaker.allows(1_000)]).toEqual([false, true]);
    expect(breaker.openReason(500)).toMatch(/^every deep probe failed lately \(last: Connection refused\)/);
    breaker.failed(1_000, "refused"); // the trial failed
    breaker.failed(3_000, "refused");
    breaker.failed(6_000, "refused");
    expect([breaker.allows(8_999), breaker.allows(9_000)]).toEqual([false, true]);
    breaker.succeeded();
    breaker.failed(9_000, "refused");
    expect([breaker.allows(9_000), breaker.openReason(9_000)]).toEqual([true, null]);
  });
});
