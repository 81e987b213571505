import type { TrackInfo } from "../runtime/media-handle.ts";

/** gohlslib's name of the one media playlist of an MPEG-TS muxer (`mediaPlaylistPath("main")`). */
export const MEDIA_PLAYLIST_NAME = "main_stream.m3u8";

// profile_idc and the constraint byte libx264 writes for each profile (the simulator's streams
// come from libx264; MediaMTX copies these bytes from the SPS).
const AVC_PROFILES: Readonly<Record<string, string>> = {
  Baseline: "42c0",
  Main: "4d40",
  Extended: "5800",
  High: "6400",
  "High 10": "6e00",
  "High 4:2:2": "7a00",
  "High 4:4:4 Predictive": "f400",
};

/** RFC 6381 codec string of a track like gohlslib's `codecparams.Marshal`, undefined if unknown. */
function codecParam(t: TrackInfo): string | undefined {
  const props = t.codecProps ?? {};
  switch (t.codec) {
    case "H264": {
      const profile = AVC_PROFILES[String(props.profile)];
      const level = Math.round(Number.parseFloat(String(props.level)) * 10);
      if (profile === undefined || !Number.isFinite(level)) return undefined;
      return `avc1.${profile}${level.toString(16).padStart(2, "0")}`;
    }
    case "MPEG-4 Audio":
      return "mp4a.40.2";
    case "MPEG-1/2 Audio":
      return "mp4a.40.34";
    default:
      return undefined;
  }
}

/** Peak and average bit rate (bit/s) of the segments of a media playlist, from their sizes. */
export interface SegmentRates {
  readonly peak: number;
  readonly average: number;
}

/**
 * MediaMTX's multivariant playlist of an MPEG-TS muxer (gohlslib): one variant whose URI is
 * the media playlist, carrying the request's query (with the session when it travels there).
 */
export function multivariantPlaylist(options: {
  tracks: readonly TrackInfo[];
  rates: SegmentRates;
  query: string;
}): string {
  const codecs = [...new Set(options.tracks.map(codecParam).filter((c) => c !== undefined))];
  const video = options.tracks.find((t) => t.codec === "H264");
  const attrs = [
    `BANDWIDTH=${Math.max(1, Math.round(options.rates.peak))}`,
    `AVERAGE-BANDWIDTH=${Math.max(1, Math.round(options.rates.average))}`,
  ];
  if (codecs.length > 0) attrs.push(`CODECS="${codecs.join(",")}"`);
  const w = video?.codecProps?.width;
  const h = video?.codecProps?.height;
  if (typeof w === "number" && typeof h === "number") attrs.push(`RESOLUTION=${w}x${h}`);
  const uri = options.query === "" ? MEDIA_PLAYLIST_NAME : `${MEDIA_PLAYLIST_NAME}?${options.query}`;
  return [
    "#EXTM3U",
    "#EXT-X-VERSION:3",
    "#EXT-X-INDEPENDENT-SEGMENTS",
    "",
    `#EXT-X-STREAM-INF:${attrs.join(",")}`,
    uri,
    "",
  ].join("\n");
}
