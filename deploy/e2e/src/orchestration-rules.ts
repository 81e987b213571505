// What the orchestration e2e tests share: the test worker script, a fast restart policy and the
// rules: one republishes live/<id>/in to live/<id>/out with a real ffmpeg, one keeps a test
// worker per flap/<id> through a long grace.
import { fileURLToPath } from "node:url";

/** The orchestration plugin's test worker (see its test-worker.ts): `[process.execPath, TEST_WORKER]`. */
export const TEST_WORKER = fileURLToPath(
  new URL("../../../plugins/orchestration/src/testing/test-worker.ts", import.meta.url),
);
export const FAST_RESTART = { baseMs: 200, maxMs: 800, jitter: 0, stableAfterMs: 60_000 };

/** ffmpeg copies live/<id>/in to live/<id>/out over RTMP; stopped 1 s after its path goes. */
export const REPUBLISH_RULE = {
  name: "republish",
  match: "live/{streamId}/in",
  command: [
    ...["ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "warning"],
    ...["-i", "{rtmpUrl}/live/{streamId}/in", "-c", "copy", "-f", "flv", "{rtmpUrl}/live/{streamId}/out"],
  ],
  graceMs: 1_000,
  restart: FAST_RESTART,
};

/** A test worker per flap/<id>, kept through a 60 s grace (a flapping publisher must not restart it). */
export const STEADY_RULE = {
  name: "steady",
  match: "flap/{streamId}",
  command: [process.execPath, TEST_WORKER, "{path}"],
  graceMs: 60_000,
  restart: FAST_RESTART,
};
