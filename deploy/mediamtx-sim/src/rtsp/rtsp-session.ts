import { randomBytes, randomUUID } from "node:crypto";
import type { Conn, Counter, RtpPacketCounts } from "../runtime/conn.ts";

/** An RTSP session (`/v3/rtspsessions`, reader/source type `rtspSession`) of one TCP connection. */
export class RtspSession implements Conn {
  readonly id = randomUUID();
  /** The `Session` header value (gortsplib: random, not the API id). */
  readonly secret = randomBytes(8).toString("hex");
  readonly kind = "rtspSession" as const;
  readonly createdMs = Date.now();
  readonly remoteAddr: string;
  state: "publish" | "read" | "idle" = "idle";
  path = "";
  query = "";
  user = "";
  userAgent = "";
  /** Its TCP connection's id. */
  readonly linked: string[];
  bytesIn = 0;
  bytesOut = 0;
  readonly counts = { inboundRTP: 0, inboundRTCP: 0, outboundRTP: 0, outboundRTCP: 0 };
  readonly inbound: Counter = { value: () => this.bytesIn };
  readonly outbound: Counter = { value: () => this.bytesOut };
  readonly #close: () => void;

  constructor(init: { remoteAddr: string; connId: string; close: () => void }) {
    this.remoteAddr = init.remoteAddr;
    this.linked = [init.connId];
    this.#close = init.close;
  }

  packets(): RtpPacketCounts {
    return { ...this.counts };
  }

  /** Kicked or its path went away: the TCP connection closes. */
  close(): void {
    this.#close();
  }
}
