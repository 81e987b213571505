import { randomBytes } from "node:crypto";
import type { Socket } from "node:net";
import { type Amf0Value, decodeAmf0, encodeAmf0 } from "./amf0.ts";
import { ByteReader } from "./byte-reader.ts";
import { ChunkReader, encodeChunks, MSG, type RtmpMessage } from "./chunk-stream.ts";

const HANDSHAKE_SIZE = 1536;
const USER_CONTROL_PING_REQUEST = 6;
const USER_CONTROL_PING_RESPONSE = 7;

/** An AMF0 command (`connect`, `createStream`, `publish`, `play`, `onStatus`...). */
export interface RtmpCommand {
  readonly name: string;
  readonly transactionId: number;
  readonly args: readonly Amf0Value[];
  readonly chunkStreamId: number;
  readonly streamId: number;
}

/**
 * One RTMP connection at the message level: plain handshake, chunking in both directions,
 * protocol control (chunk size, window acknowledgements, pings) and byte counters.
 */
export class RtmpTransport {
  readonly socket: Socket;
  readonly #bytes: ByteReader;
  readonly #chunks: ChunkReader;
  #outChunkSize = 128;
  #bytesSent = 0;
  #peerWindow = 0;
  #lastAck = 0;

  constructor(socket: Socket) {
    this.socket = socket;
    this.#bytes = new ByteReader(socket);
    this.#chunks = new ChunkReader(this.#bytes);
  }

  get bytesReceived(): number {
    return this.#bytes.bytesReceived;
  }

  get bytesSent(): number {
    return this.#bytesSent;
  }

  /**
   * Server side of the plain (unencrypted) handshake. S1 carries zero version bytes, so clients
   * such as ffmpeg skip the digest check (they only validate S1 when bytes 4..7 are non-zero).
   */
  async serverHandshake(): Promise<void> {
    const c0c1 = await this.#bytes.read(1 + HANDSHAKE_SIZE);
    if (c0c1[0] !== 3) throw new Error(`unsupported RTMP version ${String(c0c1[0])}`);
    const c1 = c0c1.subarray(1);
    const s1 = Buffer.alloc(HANDSHAKE_SIZE);
    randomBytes(HANDSHAKE_SIZE - 8).copy(s1, 8);
    const s2 = Buffer.from(c1);
    s2.writeUInt32BE(0, 4);
    this.#write(Buffer.concat([Buffer.from([3]), s1, s2]));
    await this.#bytes.read(HANDSHAKE_SIZE); // C2: not checked (MediaMTX does not either)
  }

  /** Next message that is not protocol control; control messages are handled here. */
  async readMessage(): Promise<RtmpMessage> {
    for (;;) {
      const msg = await this.#chunks.readMessage();
      this.#acknowledge();
      switch (msg.typeId) {
        case MSG.setChunkSize: {
          const size = msg.payload.readUInt32BE(0) & 0x7fffffff;
          if (size < 1) throw new Error(`invalid chunk size ${size}`);
          this.#chunks.chunkSize = size;
          continue;
        }
        case MSG.windowAckSize:
          this.#peerWindow = msg.payload.readUInt32BE(0);
          continue;
        case MSG.ack:
        case MSG.abort:
        case MSG.setPeerBandwidth:
          continue;
        case MSG.userControl:
          if (msg.payload.readUInt16BE(0) === USER_CONTROL_PING_REQUEST) {
            const pong = Buffer.from(msg.payload);
            pong.writeUInt16BE(USER_CONTROL_PING_RESPONSE, 0);
            this.writeMessage({
              chunkStreamId: 2,
              typeId: MSG.userControl,
              streamId: 0,
              timestamp: 0,
              payload: pong,
            });
          }
          continue;
        default:
          return msg;
      }
    }
  }

  /** Reads until the next AMF0 command (other messages before it are skipped). */
  async readCommand(): Promise<RtmpCommand> {
    for (;;) {
      const msg = await this.readMessage();
      const command = parseCommand(msg);
      if (command !== undefined) return command;
    }
  }

  writeMessage(msg: RtmpMessage): boolean {
    return this.#write(encodeChunks(msg, this.#outChunkSize));
  }

  writeCommand(
    chunkStreamId: number,
    streamId: number,
    name: string,
    transactionId: number,
    args: readonly Amf0Value[],
  ): void {
    this.writeMessage({
      chunkStreamId,
      typeId: MSG.commandAmf0,
      streamId,
      timestamp: 0,
      payload: encodeAmf0([name, transactionId, ...args]),
    });
  }

  writeControl(typeId: number, value: number, extra?: number): void {
    const payload = Buffer.alloc(extra === undefined ? 4 : 5);
    payload.writeUInt32BE(value, 0);
    if (extra !== undefined) payload[4] = extra;
    this.writeMessage({ chunkStreamId: 2, typeId, streamId: 0, timestamp: 0, payload });
    if (typeId === MSG.setChunkSize) this.#outChunkSize = value;
  }

  writeUserControl(event: number, streamId: number): void {
    const payload = Buffer.alloc(6);
    payload.writeUInt16BE(event, 0);
    payload.writeUInt32BE(streamId, 2);
    this.writeMessage({ chunkStreamId: 2, typeId: MSG.userControl, streamId: 0, timestamp: 0, payload });
  }

  /** Sends an Acknowledgement each time the peer's window of bytes has been received. */
  #acknowledge(): void {
    if (this.#peerWindow <= 0) return;
    const received = this.#bytes.bytesReceived;
    if (received - this.#lastAck < this.#peerWindow) return;
    this.#lastAck = received;
    this.writeControl(MSG.ack, received >>> 0);
  }

  #write(buf: Buffer): boolean {
    if (this.socket.destroyed) return false;
    this.#bytesSent += buf.length;
    return this.socket.write(buf);
  }
}

/** Decodes an AMF0 (or AMF3-wrapped AMF0) command message; undefined for other messages. */
export function parseCommand(msg: RtmpMessage): RtmpCommand | undefined {
  let payload: Buffer;
  if (msg.typeId === MSG.commandAmf0) payload = msg.payload;
  else if (msg.typeId === MSG.commandAmf3) payload = msg.payload.subarray(1);
  else return undefined;
  const values = decodeAmf0(payload);
  const [name, txn, ...args] = values;
  if (typeof name !== "string") return undefined;
  return {
    name,
    transactionId: typeof txn === "number" ? txn : 0,
    args,
    chunkStreamId: msg.chunkStreamId,
    streamId: msg.streamId,
  };
}
