/** An RTSP request as the server reads it. */
export interface RtspRequest {
  readonly method: string;
  readonly url: string;
  /** Header names lower-cased; the last of a repeated header wins. */
  readonly headers: ReadonlyMap<string, string>;
  readonly body: Buffer;
}

/** A frame of RTP/RTCP interleaved into the TCP connection (`$`, channel, length). */
export interface InterleavedFrame {
  readonly channel: number;
  readonly payload: Buffer;
}

export type RtspInput =
  | { readonly kind: "request"; readonly request: RtspRequest }
  | { readonly kind: "frame"; readonly frame: InterleavedFrame };

const MAX_HEADER_BYTES = 64 * 1024;

/** Incremental parser of what an RTSP client sends over TCP: requests and interleaved frames. */
export class RtspParser {
  #buf: Buffer = Buffer.alloc(0);

  /** Appends bytes and returns the complete messages found so far; throws on garbage. */
  push(chunk: Buffer): RtspInput[] {
    this.#buf = this.#buf.length === 0 ? chunk : Buffer.concat([this.#buf, chunk]);
    const out: RtspInput[] = [];
    for (;;) {
      if (this.#buf.length === 0) break;
      if (this.#buf[0] === 0x24) {
        if (this.#buf.length < 4) break;
        const len = this.#buf.readUInt16BE(2);
        if (this.#buf.length < 4 + len) break;
        out.push({
          kind: "frame",
          frame: { channel: this.#buf[1] ?? 0, payload: Buffer.from(this.#buf.subarray(4, 4 + len)) },
        });
        this.#buf = this.#buf.subarray(4 + len);
        continue;
      }
      const end = this.#buf.indexOf("\r\n\r\n");
      if (end < 0) {
        if (this.#buf.length > MAX_HEADER_BYTES) throw new Error("request header too long");
        break;
      }
      const lines = this.#buf.toString("utf8", 0, end).split("\r\n");
      const [method = "", url = "", proto = ""] = (lines[0] ?? "").split(" ");
      if (!proto.startsWith("RTSP/")) throw new Error(`invalid request line: ${lines[0] ?? ""}`);
      const headers = new Map<string, string>();
      for (const line of lines.slice(1)) {
        const i = line.indexOf(":");
        if (i > 0) headers.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim());
      }
      const length = Number.parseInt(headers.get("content-length") ?? "0", 10) || 0;
      if (this.#buf.length < end + 4 + length) break;
      const body = Buffer.from(this.#buf.subarray(end + 4, end + 4 + length));
      this.#buf = this.#buf.subarray(end + 4 + length);
      out.push({ kind: "request", request: { method, url, headers, body } });
    }
    return out;
  }
}

const REASONS: Readonly<Record<number, string>> = {
  200: "OK",
  400: "Bad Request",
  401: "Unauthorized",
  404: "Not Found",
  405: "Method Not Allowed",
  454: "Session Not Found",
  455: "Method Not Valid in This State",
  461: "Unsupported Transport",
  500: "Internal Server Error",
  501: "Not Implemented",
};

/** Encodes a response; `CSeq` is copied from the request by the caller. */
export function encodeRtspResponse(
  status: number,
  headers: Readonly<Record<string, string>>,
  body: Buffer = Buffer.alloc(0),
): Buffer {
  const lines = [`RTSP/1.0 ${status} ${REASONS[status] ?? "Error"}`];
  for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
  if (body.length > 0) lines.push(`Content-Length: ${body.length}`);
  return Buffer.concat([Buffer.from(`${lines.join("\r\n")}\r\n\r\n`), body]);
}

/** Encodes an interleaved frame. */
export function encodeInterleaved(channel: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head[0] = 0x24;
  head[1] = channel;
  head.writeUInt16BE(payload.length, 2);
  return Buffer.concat([head, payload]);
}
