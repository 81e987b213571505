/** FLV tag types (also the RTMP message type ids of audio, video and AMF0 data). */
export const FLV_AUDIO = 8;
export const FLV_VIDEO = 9;
export const FLV_SCRIPT = 18;

/** One FLV tag: an RTMP audio/video/data message as it travels between publisher and readers. */
export interface FlvTag {
  readonly type: number;
  /** Milliseconds (the RTMP/FLV timestamp, i.e. the DTS for video). */
  readonly timestamp: number;
  readonly data: Buffer;
}

const FLV_CODEC_H264 = 7;
const FLV_CODEC_AAC = 10;

/** A video tag of an H264 key frame (not the sequence header). */
export function isVideoKeyframe(tag: FlvTag): boolean {
  if (tag.type !== FLV_VIDEO || tag.data.length < 2) return false;
  const b0 = tag.data[0] ?? 0;
  if (b0 >> 4 !== 1) return false;
  return (b0 & 0x0f) !== FLV_CODEC_H264 || tag.data[1] === 1;
}

/** The AVC sequence header (AVCDecoderConfigurationRecord). */
export function isVideoConfig(tag: FlvTag): boolean {
  return tag.type === FLV_VIDEO && ((tag.data[0] ?? 0) & 0x0f) === FLV_CODEC_H264 && tag.data[1] === 0;
}

/** The AAC sequence header (AudioSpecificConfig). */
export function isAudioConfig(tag: FlvTag): boolean {
  return tag.type === FLV_AUDIO && (tag.data[0] ?? 0) >> 4 === FLV_CODEC_AAC && tag.data[1] === 0;
}

/** The 9-byte FLV file header plus PreviousTagSize0. */
export function encodeFlvHeader(options: { audio: boolean; video: boolean }): Buffer {
  const b = Buffer.alloc(13);
  b.write("FLV", 0, "latin1");
  b[3] = 1;
  b[4] = (options.audio ? 4 : 0) | (options.video ? 1 : 0);
  b.writeUInt32BE(9, 5);
  return b;
}

/** One tag with its 11-byte header and the trailing PreviousTagSize. */
export function encodeFlvTag(tag: FlvTag): Buffer {
  const b = Buffer.alloc(11 + tag.data.length + 4);
  b[0] = tag.type;
  b.writeUIntBE(tag.data.length, 1, 3);
  const ts = tag.timestamp >>> 0;
  b.writeUIntBE(ts & 0xffffff, 4, 3);
  b[7] = (ts >>> 24) & 0xff;
  tag.data.copy(b, 11);
  b.writeUInt32BE(11 + tag.data.length, 11 + tag.data.length);
  return b;
}

/** Incremental parser of an FLV byte stream (ffmpeg's `-f flv pipe:1` output). */
export class FlvParser {
  #buf: Buffer = Buffer.alloc(0);
  #headerDone = false;

  /** Appends bytes and returns the complete tags found so far. */
  push(chunk: Buffer): FlvTag[] {
    this.#buf = this.#buf.length === 0 ? chunk : Buffer.concat([this.#buf, chunk]);
    const tags: FlvTag[] = [];
    if (!this.#headerDone) {
      if (this.#buf.length < 13) return tags;
      if (this.#buf.toString("latin1", 0, 3) !== "FLV") throw new Error("not an FLV stream");
      const offset = this.#buf.readUInt32BE(5);
      if (this.#buf.length < offset + 4) return tags;
      this.#buf = this.#buf.subarray(offset + 4);
      this.#headerDone = true;
    }
    while (this.#buf.length >= 11) {
      const size = this.#buf.readUIntBE(1, 3);
      if (this.#buf.length < 11 + size + 4) break;
      const ts = this.#buf.readUIntBE(4, 3) | ((this.#buf[7] ?? 0) << 24);
      tags.push({
        type: (this.#buf[0] ?? 0) & 0x1f,
        timestamp: ts >>> 0,
        data: Buffer.from(this.#buf.subarray(11, 11 + size)),
      });
      this.#buf = this.#buf.subarray(11 + size + 4);
    }
    return tags;
  }
}
