export { createHlsHandler } from "./create-hls-handler.ts";
export type { LibLogger } from "./lib-logger.ts";
export { silentLogger } from "./lib-logger.ts";
export type { ToolOutput } from "./run-tool.ts";
export { ffprobeJson, runTool } from "./run-tool.ts";
export type { Scenario } from "./scenario.ts";
export { isScenario, SCENARIOS, scenarioHasMedia } from "./scenario.ts";
export {
  AUDIO_SAMPLE_RATE,
  LOW_FPS,
  scenarioEncodeArgs,
  scenarioHasAudio,
  scenarioInputArgs,
  VIDEO_FPS,
  VIDEO_HEIGHT,
  VIDEO_WIDTH,
} from "./scenario-args.ts";
export type { ScenarioTracks, Track2 } from "./scenario-tracks.ts";
export { scenarioTracks } from "./scenario-tracks.ts";
export type { GroupExit, ProcessGroup, SpawnGroupOptions } from "./spawn-group.ts";
export { spawnGroup, stopGroup } from "./spawn-group.ts";
export type { MediaSource, StartMediaSourceOptions } from "./start-media-source.ts";
export {
  DEFAULT_MEDIA_START_TIMEOUT_MS,
  DEFAULT_SYNTHETIC_BYTES_PER_SECOND,
  startMediaSource,
} from "./start-media-source.ts";
