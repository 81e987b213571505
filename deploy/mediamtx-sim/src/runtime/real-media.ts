import { join } from "node:path";
import { PlaylistFlvFeed } from "../flv/playlist-flv-feed.ts";
import type { Logger } from "../log/create-logger.ts";
import { type MediaSource, scenarioHasAudio, scenarioTracks, startMediaSource } from "../media/index.ts";
import type { MediaFactory, Scenario } from "./media-handle.ts";
import { syntheticMedia } from "./synthetic-media.ts";

/**
 * Media of published paths: ffmpeg writing HLS under `hlsRoot` (media lib), except the
 * `synthetic` scenario, which stays a cheap time-based counter (scale mode). RTMP readers get
 * the HLS output remuxed to FLV (`feed()`), started on demand.
 */
export function realMediaFactory(hlsRoot: string, log: Logger): MediaFactory {
  return (path, scenario, nowMs, previousStopped = Promise.resolve()) => {
    if (scenario === "synthetic") return syntheticMedia(scenario, nowMs);
    let source: MediaSource | undefined;
    let stopped = false;
    let current: Scenario = scenario;
    const playlist = join(hlsRoot, ...path.split("/"), "index.m3u8");
    let feed: PlaylistFlvFeed | undefined;
    const ready = previousStopped
      .then(() => startMediaSource({ path, scenario, hlsRoot, logger: log.child({ path }) }))
      .then(
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
      feed() {
        if (stopped || current === "synthetic") return undefined;
        feed ??= new PlaylistFlvFeed({
          playlist,
          hasAudio: scenarioHasAudio(current),
          logger: log.child({ path, component: "rtmp-feed" }),
        });
        return feed;
      },
      async stop() {
        stopped = true;
        feed?.close();
        await ready;
        await source?.stop();
      },
    };
  };
}
