import type { Scenario } from "./scenario.ts";
import { AUDIO_SAMPLE_RATE, scenarioHasAudio, VIDEO_HEIGHT, VIDEO_WIDTH } from "./scenario-args.ts";

/** One entry of MediaMTX's `tracks2` (v1.17+). */
export interface Track2 {
  readonly codec: string;
  readonly codecProps: Record<string, unknown> | null;
}

/** `tracks` (legacy labels) and `tracks2` of a scenario, as MediaMTX reports them. */
export interface ScenarioTracks {
  readonly tracks: readonly string[];
  readonly tracks2: readonly Track2[];
}

// libx264 ultrafast writes profile_idc 66 (MediaMTX: "Baseline") and picks level_idc 30 ("3")
// for 640x360 at 25 fps; the media tests check this against ffprobe.
const h264: Track2 = Object.freeze({
  codec: "H264",
  codecProps: Object.freeze({ width: VIDEO_WIDTH, height: VIDEO_HEIGHT, profile: "Baseline", level: "3" }),
});
const aac: Track2 = Object.freeze({
  codec: "MPEG-4 Audio",
  codecProps: Object.freeze({ sampleRate: AUDIO_SAMPLE_RATE, channelCount: 1 }),
});

/**
 * What the scenario's publisher declares. `stalled` and `synthetic` declare the testsrc tracks:
 * the stream exists, only its bytes are missing or made up.
 */
export function scenarioTracks(s: Scenario): ScenarioTracks {
  const withAudio = scenarioHasAudio(s);
  return Object.freeze({
    tracks: Object.freeze(withAudio ? ["H264", "MPEG-4 Audio"] : ["H264"]),
    tracks2: Object.freeze(withAudio ? [h264, aac] : [h264]),
  });
}
