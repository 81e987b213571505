import type { Readable } from "node:stream";

/** Reads exact byte counts from a socket (any readable stream) as promises (the RTMP parser is written sequentially). */
export class ByteReader {
  readonly #chunks: Buffer[] = [];
  #buffered = 0;
  #want: { n: number; resolve: (b: Buffer) => void; reject: (e: Error) => void } | undefined;
  #error: Error | undefined;
  #total = 0;

  constructor(socket: Readable) {
    socket.on("data", (chunk: Buffer) => {
      this.#total += chunk.length;
      this.#chunks.push(chunk);
      this.#buffered += chunk.length;
      this.#serve();
    });
    const fail = (e: Error): void => {
      this.#error ??= e;
      const want = this.#want;
      this.#want = undefined;
      want?.reject(this.#error);
    };
    socket.on("end", () => fail(new Error("EOF")));
    socket.on("close", () => fail(new Error("EOF")));
    socket.on("error", (e) => fail(e));
  }

  /** Every byte received so far (MediaMTX's `BytesReceived`). */
  get bytesReceived(): number {
    return this.#total;
  }

  /** Resolves with the next `n` bytes; rejects once the socket is gone. */
  read(n: number): Promise<Buffer> {
    if (this.#want !== undefined) return Promise.reject(new Error("concurrent read"));
    if (this.#buffered >= n) return Promise.resolve(this.#take(n));
    if (this.#error !== undefined) return Promise.reject(this.#error);
    return new Promise((resolve, reject) => {
      this.#want = { n, resolve, reject };
    });
  }

  async readUInt8(): Promise<number> {
    return (await this.read(1)).readUInt8(0);
  }

  #serve(): void {
    const want = this.#want;
    if (want === undefined || this.#buffered < want.n) return;
    this.#want = undefined;
    want.resolve(this.#take(want.n));
  }

  #take(n: number): Buffer {
    if (n === 0) return Buffer.alloc(0);
    const first = this.#chunks[0];
    if (first !== undefined && first.length >= n) {
      this.#buffered -= n;
      if (first.length === n) this.#chunks.shift();
      else this.#chunks[0] = first.subarray(n);
      return first.subarray(0, n);
    }
    const out = Buffer.allocUnsafe(n);
    let off = 0;
    while (off < n) {
      const c = this.#chunks[0] as Buffer;
      const take = Math.min(c.length, n - off);
      c.copy(out, off, 0, take);
      off += take;
      if (take === c.length) this.#chunks.shift();
      else this.#chunks[0] = c.subarray(take);
    }
    this.#buffered -= n;
    return out;
  }
}
