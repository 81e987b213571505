import type { Logger } from "../log/create-logger.ts";
import { type MediaSource, scenarioTracks, startMediaSource } from "../media/index.ts";
import type { MediaFactory, Scenario } from "./media-handle.ts";
import { syntheticMedia } from "./synthetic-media.ts";

/**
 * Media of published paths: ffmpeg writing HLS under `hlsRoot` (media lib), except the
 * `synthetic` scenario, which stays a cheap time-based counter (scale mode).
 */
export function realMediaFactory(hlsRoot: string, log: Logger): MediaFactory {
  return (path, scenario, nowMs) => {
    if (scenario === "synthetic") return syntheticMedia(scenario, nowMs);
    let source: MediaSource | undefined;
    let stopped = false;
    let current: Scenario = scenario;
    const ready = startMediaSource({ path, scenario, hlsRoot, logger: log.child({ path }) }).then(
      async (s) => {
        if (stopped) await s.stop();
        else source = s;
      },
      (e: unknown) => log.error({ path, err: String(e) }, "media did not start"),
    );
    return {
      ready,
      inboundBytes: () => source?.inboundBytes() ?? 0,
      tracks: () => source?.tracks2 ?? scenarioTracks(current).tracks2,
      setScenario(next) {
        current = next;
        return ready.then(() => source?.switchScenario(next));
      },
      async stop() {
        stopped = true;
        await ready;
        await source?.stop();
      },
    };
  };
}
