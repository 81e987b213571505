import { scenarioTracks } from "../media/index.ts";
import { ByteCounter } from "./byte-counter.ts";
import type { MediaHandle, Scenario } from "./media-handle.ts";

/** Bytes per second of a synthetic publisher (≈2 Mbit/s). */
export const SYNTHETIC_RATE_BPS = 250_000;

/** Counters computed from time, no media (scale mode and the `synthetic` scenario). */
export function syntheticMedia(scenario: Scenario, nowMs: number, rateBps = SYNTHETIC_RATE_BPS): MediaHandle {
  const counter = new ByteCounter(rateBps, scenario === "stalled" ? undefined : nowMs);
  let current = scenario;
  return {
    inboundBytes: (now) => counter.value(now),
    tracks: () => scenarioTracks(current).tracks2,
    setScenario(next, now) {
      current = next;
      if (next === "stalled") counter.freeze(now);
      else if (!counter.running) counter.resume(now);
    },
    stop: async () => {},
  };
}
