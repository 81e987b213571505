import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { feedToStdin } from "../flv/feed-to-stdin.ts";
import type { FlvHub } from "../flv/flv-hub.ts";
import type { Logger } from "../log/create-logger.ts";
import { type ProcessGroup, spawnGroup, stopGroup } from "../media/spawn-group.ts";
import { hlsOutputArgs, PLAYLIST_NAME } from "../media/start-media-source.ts";
import { ControlError } from "./control-error.ts";
import type { MediaHandle, TrackInfo } from "./media-handle.ts";

const FFMPEG_KILL_AFTER_MS = 3_000;

/**
 * The media of a real publisher (RTMP): its tags arrive in `hub`; an ffmpeg remuxes them
 * (`-c copy`) into the same HLS layout the scenarios use, so the HLS server and ffprobe read
 * what was published. Readers and the recorder attach to the hub.
 */
export function publishedMedia(options: {
  path: string;
  hub: FlvHub;
  tracks: readonly TrackInfo[];
  hlsRoot: string;
  previousStopped: Promise<void>;
  log: Logger;
}): MediaHandle {
  const { path, hub, tracks, log } = options;
  const hlsDir = join(options.hlsRoot, ...path.split("/"));
  let ffmpeg: ProcessGroup | undefined;
  let stopped = false;
  const ready = options.previousStopped.then(async () => {
    if (stopped) return;
    await mkdir(hlsDir, { recursive: true });
    const args = ["-hide_banner", "-loglevel", "error", "-f", "flv", "-i", "pipe:0", "-c", "copy"];
    args.push(
      ...hlsOutputArgs(),
      "-hls_segment_filename",
      join(hlsDir, "index%d.ts"),
      join(hlsDir, PLAYLIST_NAME),
    );
    const group = spawnGroup("ffmpeg", args, {
      logger: log,
      logFields: { path, component: "hls-remux" },
      pipes: { stdin: true },
    });
    ffmpeg = group;
    if (group.stdin !== null) feedToStdin(hub, group.stdin);
  });
  return {
    ready,
    inboundBytes: () => hub.mediaBytes,
    tracks: () => tracks,
    setScenario() {
      throw new ControlError(400, `path '${path}' is published by a real client`);
    },
    feed: () => hub,
    recordsFeed: true,
    async stop() {
      stopped = true;
      hub.end();
      await ready.catch(() => {});
      if (ffmpeg !== undefined) await stopGroup(ffmpeg, { killAfterMs: FFMPEG_KILL_AFTER_MS });
      await rm(hlsDir, { recursive: true, force: true });
    },
  };
}
