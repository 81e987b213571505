/** What a simulated publisher sends. See the README of the simulator for each one. */
export type Scenario =
  | "testsrc"
  | "black"
  | "frozen"
  | "lowfps"
  | "silent"
  | "noaudio"
  | "stalled"
  | "synthetic";

/** Every scenario, in documentation order. */
export const SCENARIOS: readonly Scenario[] = Object.freeze([
  "testsrc",
  "black",
  "frozen",
  "lowfps",
  "silent",
  "noaudio",
  "stalled",
  "synthetic",
]);

/** True when `v` names a scenario. */
export function isScenario(v: unknown): v is Scenario {
  return typeof v === "string" && (SCENARIOS as readonly string[]).includes(v);
}

/** Scenarios for which ffmpeg runs (the others produce no media). */
export function scenarioHasMedia(s: Scenario): boolean {
  return s !== "stalled" && s !== "synthetic";
}
