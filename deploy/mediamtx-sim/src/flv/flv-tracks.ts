import type { TrackInfo } from "../runtime/media-handle.ts";
import { FLV_AUDIO, FLV_VIDEO, type FlvTag } from "./flv-tag.ts";
import { h264LevelName, h264ProfileName, parseH264Sps } from "./h264-sps.ts";

const AAC_SAMPLE_RATES = [
  96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350,
];

/** The first SPS of an AVC sequence header tag (AVCDecoderConfigurationRecord after 5 bytes). */
function avcSps(tag: FlvTag): Buffer | undefined {
  const rec = tag.data.subarray(5);
  if (rec.length < 8 || (rec[5] ?? 0) % 32 === 0) return undefined;
  const len = rec.readUInt16BE(6);
  return rec.length >= 8 + len ? rec.subarray(8, 8 + len) : undefined;
}

/** `tracks2` entry of an AVC sequence header (MediaMTX reads width/height/profile/level from the SPS). */
export function h264Track(config: FlvTag): TrackInfo {
  const sps = avcSps(config);
  if (sps === undefined) throw new Error("invalid AVC sequence header");
  const info = parseH264Sps(sps);
  return {
    codec: "H264",
    codecProps: {
      width: info.width,
      height: info.height,
      profile: h264ProfileName(info.profileIdc),
      level: h264LevelName(info.levelIdc),
    },
  };
}

/** `tracks2` entry of an AAC sequence header (AudioSpecificConfig). */
export function aacTrack(config: FlvTag): TrackInfo {
  const asc = config.data.subarray(2);
  if (asc.length < 2) throw new Error("invalid AAC sequence header");
  let bit = 0;
  const read = (n: number): number => {
    let v = 0;
    for (let i = 0; i < n; i++, bit++) v = v * 2 + (((asc[bit >> 3] ?? 0) >> (7 - (bit & 7))) & 1);
    return v;
  };
  let objectType = read(5);
  if (objectType === 31) objectType = 32 + read(6);
  const freqIndex = read(4);
  const sampleRate = freqIndex === 15 ? read(24) : (AAC_SAMPLE_RATES[freqIndex] ?? 0);
  const channelCount = read(4);
  return { codec: "MPEG-4 Audio", codecProps: { sampleRate, channelCount } };
}

/** Codec ids of FLV audio/video tags that MediaMTX accepts over classic RTMP. */
const FLV_VIDEO_H264 = 7;
const FLV_AUDIO_MP3 = 2;
const FLV_AUDIO_AAC = 10;

/**
 * The tracks of an analysed RTMP publication, in MediaMTX's order (video, then audio),
 * or an error message like MediaMTX's when a codec is not supported or not configured.
 */
export function tracksOf(tags: readonly FlvTag[]): { tracks: TrackInfo[] } | { error: string } {
  let video: TrackInfo | undefined;
  let audio: TrackInfo | undefined;
  let sawVideo = false;
  let sawAudio = false;
  for (const tag of tags) {
    if (tag.type === FLV_VIDEO && tag.data.length > 1) {
      sawVideo = true;
      const codec = (tag.data[0] ?? 0) & 0x0f;
      if (codec !== FLV_VIDEO_H264) return { error: `unsupported video codec: ${codec}` };
      if (video === undefined && tag.data[1] === 0) video = h264Track(tag);
    } else if (tag.type === FLV_AUDIO && tag.data.length > 0) {
      const codec = (tag.data[0] ?? 0) >> 4;
      if (codec === 0) continue;
      sawAudio = true;
      if (codec === FLV_AUDIO_AAC) {
        if (audio === undefined && tag.data[1] === 0) audio = aacTrack(tag);
      } else if (codec === FLV_AUDIO_MP3) audio ??= { codec: "MPEG-1/2 Audio", codecProps: null };
      else return { error: `unsupported audio codec: ${codec}` };
    }
  }
  if (!sawVideo && !sawAudio) return { error: "no tracks found" };
  if (sawVideo && video === undefined) return { error: "video track 0 not configured" };
  if (sawAudio && audio === undefined) return { error: "audio track 0 not configured" };
  return { tracks: [video, audio].filter((t): t is TrackInfo => t !== undefined) };
}
