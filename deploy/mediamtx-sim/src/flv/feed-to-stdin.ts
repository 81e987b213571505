import type { Writable } from "node:stream";
import type { FlvFeed } from "./flv-hub.ts";
import { encodeFlvHeader, encodeFlvTag } from "./flv-tag.ts";

/**
 * Writes a feed as an FLV byte stream into `input` (ffmpeg's stdin) until detached or the
 * stream ends (then stdin is closed, so ffmpeg finalises its output). Returns the detach function.
 */
export function feedToStdin(
  feed: FlvFeed,
  input: Writable,
  options: { endOnEnd?: boolean } = {},
): () => void {
  const { endOnEnd = true } = options;
  let open = true;
  input.write(encodeFlvHeader({ audio: feed.hasAudio, video: feed.hasVideo }));
  const detach = feed.subscribe({
    tag: (tag) => {
      if (open && !input.destroyed) input.write(encodeFlvTag(tag));
    },
    end: () => {
      if (open && endOnEnd) input.end();
      open = false;
    },
  });
  return () => {
    open = false;
    detach();
  };
}
