export type { Span } from "./compute-spans.ts";
export { computeSpans, segmentInfo, trimSpans } from "./compute-spans.ts";
export type { PlaybackHandlerOptions } from "./create-playback-handler.ts";
export { createPlaybackHandler } from "./create-playback-handler.ts";
export { parsePlaybackDuration } from "./parse-go-duration.ts";
