import type { ByteReader } from "./byte-reader.ts";

/** RTMP message type ids. */
export const MSG = {
  setChunkSize: 1,
  abort: 2,
  ack: 3,
  userControl: 4,
  windowAckSize: 5,
  setPeerBandwidth: 6,
  audio: 8,
  video: 9,
  dataAmf3: 15,
  commandAmf3: 17,
  dataAmf0: 18,
  commandAmf0: 20,
} as const;

/** One reassembled RTMP message. */
export interface RtmpMessage {
  readonly chunkStreamId: number;
  readonly typeId: number;
  readonly streamId: number;
  /** Absolute timestamp in milliseconds (32-bit, as sent). */
  readonly timestamp: number;
  readonly payload: Buffer;
}

interface ChunkStreamState {
  timestamp: number;
  /** The last timestamp field (absolute for type 0, delta for 1/2): what a type-3 new message adds. */
  field: number;
  length: number;
  typeId: number;
  streamId: number;
  extended: boolean;
  parts: Buffer[];
  received: number;
}

const EXTENDED = 0xffffff;
/** Upper bound for one message (a 4K key frame fits easily); protects against garbage lengths. */
const MAX_MESSAGE_BYTES = 32 * 1024 * 1024;

/** Reads chunks and reassembles messages (RTMP spec §5.3), honouring the peer's Set Chunk Size. */
export class ChunkReader {
  readonly #in: ByteReader;
  readonly #streams = new Map<number, ChunkStreamState>();
  chunkSize = 128;

  constructor(input: ByteReader) {
    this.#in = input;
  }

  async readMessage(): Promise<RtmpMessage> {
    for (;;) {
      const msg = await this.#readChunk();
      if (msg !== undefined) return msg;
    }
  }

  async #readChunk(): Promise<RtmpMessage | undefined> {
    const b0 = await this.#in.readUInt8();
    const fmt = b0 >> 6;
    let csid = b0 & 0x3f;
    if (csid === 0) csid = 64 + (await this.#in.readUInt8());
    else if (csid === 1) {
      const b = await this.#in.read(2);
      csid = 64 + (b[0] ?? 0) + (b[1] ?? 0) * 256;
    }
    let st = this.#streams.get(csid);
    if (st === undefined) {
      if (fmt !== 0) throw new Error(`chunk stream ${csid} starts without a type 0 header`);
      st = {
        timestamp: 0,
        field: 0,
        length: 0,
        typeId: 0,
        streamId: 0,
        extended: false,
        parts: [],
        received: 0,
      };
      this.#streams.set(csid, st);
    }
    const starting = st.received === 0;
    if (fmt === 0) {
      const h = await this.#in.read(11);
      const ts = h.readUIntBE(0, 3);
      st.length = h.readUIntBE(3, 3);
      st.typeId = h.readUInt8(6);
      st.streamId = h.readUInt32LE(7);
      st.extended = ts === EXTENDED;
      st.field = st.extended ? (await this.#in.read(4)).readUInt32BE(0) : ts;
      st.timestamp = st.field;
    } else if (fmt === 1 || fmt === 2) {
      const h = await this.#in.read(fmt === 1 ? 7 : 3);
      const delta = h.readUIntBE(0, 3);
      if (fmt === 1) {
        st.length = h.readUIntBE(3, 3);
        st.typeId = h.readUInt8(6);
      }
      st.extended = delta === EXTENDED;
      st.field = st.extended ? (await this.#in.read(4)).readUInt32BE(0) : delta;
      st.timestamp = (st.timestamp + st.field) >>> 0;
    } else {
      // Type 3 repeats the previous header; senders (ffmpeg) repeat the extended timestamp too.
      if (st.extended) {
        const ext = (await this.#in.read(4)).readUInt32BE(0);
        if (starting) st.field = ext;
      }
      if (starting && fmt === 3) st.timestamp = (st.timestamp + st.field) >>> 0;
    }
    if (st.length > MAX_MESSAGE_BYTES) throw new Error(`RTMP message too big (${st.length} bytes)`);
    const n = Math.min(this.chunkSize, st.length - st.received);
    if (n > 0) {
      st.parts.push(await this.#in.read(n));
      st.received += n;
    }
    if (st.received < st.length) return undefined;
    const payload = st.parts.length === 1 ? (st.parts[0] as Buffer) : Buffer.concat(st.parts);
    st.parts = [];
    st.received = 0;
    return {
      chunkStreamId: csid,
      typeId: st.typeId,
      streamId: st.streamId,
      timestamp: st.timestamp,
      payload,
    };
  }
}

/** Serialises a message into chunks: a type 0 header, then type 3 continuation chunks. */
export function encodeChunks(msg: RtmpMessage, chunkSize: number): Buffer {
  const csid = msg.chunkStreamId;
  if (csid < 2 || csid > 63) throw new Error(`unsupported chunk stream id ${csid}`);
  const ts = msg.timestamp >>> 0;
  const extended = ts >= EXTENDED;
  const head = Buffer.alloc(12 + (extended ? 4 : 0));
  head[0] = csid;
  head.writeUIntBE(extended ? EXTENDED : ts, 1, 3);
  head.writeUIntBE(msg.payload.length, 4, 3);
  head[7] = msg.typeId;
  head.writeUInt32LE(msg.streamId, 8);
  if (extended) head.writeUInt32BE(ts, 12);
  const parts: Buffer[] = [head];
  let off = 0;
  const p = msg.payload;
  for (;;) {
    const n = Math.min(chunkSize, p.length - off);
    parts.push(p.subarray(off, off + n));
    off += n;
    if (off >= p.length) break;
    const cont = Buffer.alloc(extended ? 5 : 1);
    cont[0] = 0xc0 | csid;
    if (extended) cont.writeUInt32BE(ts, 1);
    parts.push(cont);
  }
  return Buffer.concat(parts);
}
