import { crc32 } from "node:zlib";

/**
 * One record on disk:
 *
 * | offset | size | field                                                        |
 * |--------|------|--------------------------------------------------------------|
 * | 0      | 4    | magic `F9 4D 54 58` (0xF9 never occurs in UTF-8 JSON)         |
 * | 4      | 4    | body length, u32 big-endian                                  |
 * | 8      | 4    | CRC-32 of bytes 4..8 and 12..end (length, seq, ts, body)     |
 * | 12     | 8    | seq, u64 big-endian                                          |
 * | 20     | 8    | ts, epoch ms, f64 big-endian                                 |
 * | 28     | n    | body: UTF-8 JSON `{ id, kind, payload, occurredAt? }`        |
 */
export const FRAME_MAGIC = Buffer.from([0xf9, 0x4d, 0x54, 0x58]);
export const FRAME_HEADER_BYTES = 28;
/** Bodies above this are refused on append and treated as corruption when read. */
export const MAX_FRAME_BODY_BYTES = 1024 * 1024;

/** A frame found in a buffer (offsets are within that buffer). */
export interface FrameView {
  readonly offset: number;
  readonly end: number;
  readonly seq: number;
  readonly ts: number;
  readonly body: Buffer;
}

/** What `parseFrameAt` found. */
export type FrameParse =
  | { readonly kind: "ok"; readonly frame: FrameView }
  /** The buffer ends inside this frame; `frameBytes` is its full size when the header was readable. */
  | { readonly kind: "incomplete"; readonly frameBytes: number | undefined }
  | { readonly kind: "bad"; readonly reason: string };

export function encodeFrame(seq: number, ts: number, body: Buffer): Buffer {
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + body.length);
  FRAME_MAGIC.copy(frame, 0);
  frame.writeUInt32BE(body.length, 4);
  frame.writeBigUInt64BE(BigInt(seq), 12);
  frame.writeDoubleBE(ts, 20);
  body.copy(frame, FRAME_HEADER_BYTES);
  frame.writeUInt32BE(frameCrc(frame, 0, frame.length), 8);
  return frame;
}

export function parseFrameAt(buffer: Buffer, offset: number): FrameParse {
  const available = buffer.length - offset;
  if (available < 4) return { kind: "incomplete", frameBytes: undefined };
  if (buffer.compare(FRAME_MAGIC, 0, 4, offset, offset + 4) !== 0) return { kind: "bad", reason: "no magic" };
  if (available < FRAME_HEADER_BYTES) return { kind: "incomplete", frameBytes: undefined };
  const bodyLength = buffer.readUInt32BE(offset + 4);
  if (bodyLength > MAX_FRAME_BODY_BYTES) return { kind: "bad", reason: "length out of range" };
  const end = offset + FRAME_HEADER_BYTES + bodyLength;
  if (end > buffer.length) return { kind: "incomplete", frameBytes: end - offset };
  if (buffer.readUInt32BE(offset + 8) !== frameCrc(buffer, offset, end))
    return { kind: "bad", reason: "CRC" };
  const seq = Number(buffer.readBigUInt64BE(offset + 12));
  const ts = buffer.readDoubleBE(offset + 20);
  return {
    kind: "ok",
    frame: { offset, end, seq, ts, body: buffer.subarray(offset + FRAME_HEADER_BYTES, end) },
  };
}

function frameCrc(buffer: Buffer, offset: number, end: number): number {
  return crc32(buffer.subarray(offset + 12, end), crc32(buffer.subarray(offset + 4, offset + 8)));
}
