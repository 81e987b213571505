/**
 * Test streams `mtx-test-stream` can publish. They match the MediaMTX simulator's scenarios
 * (deploy/mediamtx-sim/src/media/scenario-args.ts) so a probe judges both the same way:
 * `testsrc` (H264 + AAC), `black`, `frozen` (a still, non-black picture), `silent` (audio track
 * present, silence), `noaudio` (video only), `lowfps` (5 frames a second, declaring 25).
 */
export const TEST_STREAM_SCENARIOS = ["testsrc", "black", "frozen", "silent", "noaudio", "lowfps"] as const;
/** See `TEST_STREAM_SCENARIOS`. */
export type TestStreamScenario = (typeof TEST_STREAM_SCENARIOS)[number];

/** True when `v` names a test stream scenario. */
export function isTestStreamScenario(v: unknown): v is TestStreamScenario {
  return typeof v === "string" && (TEST_STREAM_SCENARIOS as readonly string[]).includes(v);
}
