import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { ByteReader } from "./byte-reader.ts";
import { ChunkReader, encodeChunks, type RtmpMessage } from "./chunk-stream.ts";

function reader(bytes: Buffer, chunkSize = 128): ChunkReader {
  const stream = new PassThrough();
  const r = new ChunkReader(new ByteReader(stream));
  r.chunkSize = chunkSize;
  stream.end(bytes);
  return r;
}

const msg = (over: Partial<RtmpMessage>): RtmpMessage => ({
  chunkStreamId: 6,
  typeId: 9,
  streamId: 1,
  timestamp: 40,
  payload: Buffer.alloc(300, 7),
  ...over,
});

describe("RTMP chunk stream", () => {
  it("reassembles messages split into chunks, with extended timestamps", async () => {
    const a = msg({});
    const b = msg({ chunkStreamId: 4, typeId: 8, timestamp: 0x1234567, payload: Buffer.from("audio") });
    const r = reader(Buffer.concat([encodeChunks(a, 128), encodeChunks(b, 128)]));
    expect(await r.readMessage()).toEqual(a);
    expect(await r.readMessage()).toEqual(b);
  });

  it("applies type 1/2/3 headers like ffmpeg sends them (deltas, repeated delta on type 3)", async () => {
    // csid 6: type 0 at ts 40 (5 bytes), type 2 delta 40 (same length/type), type 3 (delta 40 again).
    const t0 = Buffer.from([0x06, 0, 0, 40, 0, 0, 5, 9, 1, 0, 0, 0, 1, 2, 3, 4, 5]);
    const t2 = Buffer.from([0x86, 0, 0, 40, 6, 7, 8, 9, 10]);
    const t3 = Buffer.from([0xc6, 11, 12, 13, 14, 15]);
    const r = reader(Buffer.concat([t0, t2, t3]));
    const times = [];
    for (let i = 0; i < 3; i++) times.push((await r.readMessage()).timestamp);
    expect(times).toEqual([40, 80, 120]);
  });

  it("honours the peer's chunk size", async () => {
    const big = msg({ payload: Buffer.alloc(70_000, 1) });
    const r = reader(encodeChunks(big, 65_536), 65_536);
    expect((await r.readMessage()).payload.length).toBe(70_000);
  });
});
