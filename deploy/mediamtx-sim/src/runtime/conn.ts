/** Kinds of client objects the API lists (also the path source/reader types). */
export const CONN_KINDS = [
  "rtspConn",
  "rtspsConn",
  "rtspSession",
  "rtspsSession",
  "rtmpConn",
  "rtmpsConn",
  "srtConn",
  "webRTCSession",
  "hlsSession",
  "moqSession",
] as const;

/** One of `CONN_KINDS`. */
export type ConnKind = (typeof CONN_KINDS)[number];

/** Kinds that can publish or read on a path (everything but the RTSP TCP conns). */
export type SessionKind = Exclude<ConnKind, "rtspConn" | "rtspsConn">;

/** A client connection or session: simulated (control endpoint) or real (RTMP). */
export interface Conn {
  readonly id: string;
  readonly kind: ConnKind;
  readonly createdMs: number;
  readonly remoteAddr: string;
  readonly state: "publish" | "read" | "idle";
  readonly path: string;
  readonly query: string;
  readonly user: string;
  readonly userAgent: string;
  readonly inbound: Counter;
  readonly outbound: Counter;
  /** rtspConn → its session; rtspSession → its conns. */
  readonly linked: string[];
  /** Closes a real client connection (RTMP); simulated sessions have none. */
  close?(): void;
  /** RTP/RTCP packets really counted (a real RTSP session); else the API estimates them from bytes. */
  packets?(): RtpPacketCounts;
}

/** Packet counters of an RTP session. */
export interface RtpPacketCounts {
  readonly inboundRTP: number;
  readonly inboundRTCP: number;
  readonly outboundRTP: number;
  readonly outboundRTCP: number;
}

/** Something that yields a cumulative byte count at a given time. */
export interface Counter {
  value(nowMs: number): number;
}
