/**
 * The normalised MediaMTX model: current (v1.20) field names whatever the node's version.
 * A field the node's version does not have is `null`; nothing is invented.
 */

/** `{type, id}` of a path's source; `id` is `""` for pulled sources. */
export interface MtxPathSource {
  readonly type: string;
  readonly id: string;
}

/** A reader of a path (`rtspSession`, `hlsSession`, ...; `hlsMuxer` on nodes before v1.18). */
export interface MtxPathReader {
  readonly type: string;
  readonly id: string;
}

/** One track with codec details (v1.17+). `codecProps` is null for most codecs. */
export interface MtxTrack2 {
  readonly codec: string;
  readonly codecProps: Readonly<Record<string, string | number | boolean>> | null;
}

/** A runtime path (`/v3/paths/list` item). */
export interface MtxPath {
  readonly name: string;
  readonly confName: string;
  /** A stream exists and can be read (`ready` on nodes before v1.16). */
  readonly available: boolean;
  readonly availableTime: string | null;
  /** null before v1.16. */
  readonly online: boolean | null;
  readonly onlineTime: string | null;
  readonly source: MtxPathSource | null;
  /** Codec labels, e.g. `["H264", "MPEG-4 Audio"]`. */
  readonly tracks: readonly string[];
  /** null before v1.17. */
  readonly tracks2: readonly MtxTrack2[] | null;
  readonly readers: readonly MtxPathReader[];
  /** `bytesReceived` before v1.17. Resets to 0 when the stream goes away. */
  readonly inboundBytes: number;
  /** `bytesSent` before v1.17. */
  readonly outboundBytes: number;
  /** null before v1.17. */
  readonly inboundFramesInError: number | null;
}

/** What every connection/session has; fields a protocol or version lacks are null. */
export interface MtxConnectionBase {
  readonly id: string;
  readonly created: string;
  readonly remoteAddr: string;
  readonly state: string | null;
  readonly path: string | null;
  readonly query: string | null;
  /** v1.17+. */
  readonly user: string | null;
  readonly userAgent: string | null;
  /** `bytesReceived` on old nodes; for SRT the library's `bytesReceived` (headers included). */
  readonly inboundBytes: number;
  readonly outboundBytes: number;
}

export interface MtxRtspConn extends MtxConnectionBase {
  readonly type: "rtspConn" | "rtspsConn";
  readonly session: string | null;
  readonly tunnel: string | null;
}

/** RTP/RTCP counters (current names; `rtpPacketsReceived` ... on older nodes). */
export interface MtxRtpCounters {
  readonly inboundRTPPackets: number | null;
  readonly inboundRTPPacketsLost: number | null;
  readonly inboundRTPPacketsInError: number | null;
  readonly inboundRTPPacketsJitter: number | null;
  readonly inboundRTCPPackets: number | null;
  readonly inboundRTCPPacketsInError: number | null;
  readonly outboundRTPPackets: number | null;
  readonly outboundRTPPacketsReportedLost: number | null;
  readonly outboundRTPPacketsDiscarded: number | null;
  readonly outboundRTCPPackets: number | null;
}

export interface MtxRtspSession extends MtxConnectionBase, MtxRtpCounters {
  readonly type: "rtspSession" | "rtspsSession";
  readonly transport: string | null;
  readonly profile: string | null;
  readonly conns: readonly string[] | null;
}

export interface MtxRtmpConn extends MtxConnectionBase {
  readonly type: "rtmpConn" | "rtmpsConn";
  readonly outboundFramesDiscarded: number | null;
}

/** The SRT library's statistics, by their MediaMTX names (CONTRACT §10); null when absent. */
export type MtxSrtStats = Readonly<Record<SrtStatName, number | null>>;

/** Every SRT statistic MediaMTX reports (v1.9.3 … v1.20). */
export const SRT_STAT_NAMES = [
  "packetsSent",
  "packetsReceived",
  "packetsSentUnique",
  "packetsReceivedUnique",
  "packetsSendLoss",
  "packetsReceivedLoss",
  "packetsRetrans",
  "packetsReceivedRetrans",
  "packetsSentACK",
  "packetsReceivedACK",
  "packetsSentNAK",
  "packetsReceivedNAK",
  "packetsSentKM",
  "packetsReceivedKM",
  "usSndDuration",
  "packetsReceivedBelated",
  "packetsSendDrop",
  "packetsReceivedDrop",
  "packetsReceivedUndecrypt",
  "bytesSent",
  "bytesReceived",
  "bytesSentUnique",
  "bytesReceivedUnique",
  "bytesReceivedLoss",
  "bytesRetrans",
  "bytesReceivedRetrans",
  "bytesReceivedBelated",
  "bytesSendDrop",
  "bytesReceivedDrop",
  "bytesReceivedUndecrypt",
  "usPacketsSendPeriod",
  "packetsFlowWindow",
  "packetsFlightSize",
  "msRTT",
  "mbpsSendRate",
  "mbpsReceiveRate",
  "mbpsLinkCapacity",
  "bytesAvailSendBuf",
  "bytesAvailReceiveBuf",
  "mbpsMaxBW",
  "byteMSS",
  "packetsSendBuf",
  "bytesSendBuf",
  "msSendBuf",
  "msSendTsbPdDelay",
  "packetsReceiveBuf",
  "bytesReceiveBuf",
  "msReceiveBuf",
  "msReceiveTsbPdDelay",
  "packetsReorderTolerance",
  "packetsReceivedAvgBelatedTime",
  "packetsSendLossRate",
  "packetsReceivedLossRate",
] as const;

export type SrtStatName = (typeof SRT_STAT_NAMES)[number];

export interface MtxSrtConn extends MtxConnectionBase {
  readonly type: "srtConn";
  readonly outboundFramesDiscarded: number | null;
  readonly srt: MtxSrtStats;
}

export interface MtxWebRtcSession extends MtxConnectionBase {
  readonly type: "webRTCSession";
  readonly peerConnectionEstablished: boolean | null;
  readonly localCandidate: string | null;
  readonly remoteCandidate: string | null;
  readonly inboundRTPPackets: number | null;
  readonly inboundRTPPacketsLost: number | null;
  readonly inboundRTPPacketsJitter: number | null;
  readonly inboundRTCPPackets: number | null;
  readonly outboundRTPPackets: number | null;
  readonly outboundRTCPPackets: number | null;
  readonly outboundFramesDiscarded: number | null;
}

export interface MtxHlsSession extends MtxConnectionBase {
  readonly type: "hlsSession";
  readonly isCDN: boolean | null;
}

export interface MtxMoqSession extends MtxConnectionBase {
  readonly type: "moqSession";
  readonly transport: string | null;
  readonly version: string | null;
}

/** Any connection or session; `type` matches the reader/source types of {@link MtxPath}. */
export type MtxConnection =
  | MtxRtspConn
  | MtxRtspSession
  | MtxRtmpConn
  | MtxSrtConn
  | MtxWebRtcSession
  | MtxHlsSession
  | MtxMoqSession;

/** An HLS muxer (one per path served over HLS). */
export interface MtxHlsMuxer {
  readonly path: string;
  readonly created: string;
  readonly lastRequest: string;
  /** `bytesSent` on old nodes. */
  readonly outboundBytes: number;
  readonly outboundFramesDiscarded: number | null;
}

/** Recorded segments of one path; pass `start` back unchanged to delete a segment. */
export interface MtxRecording {
  readonly name: string;
  readonly segments: readonly { readonly start: string }[];
}

/** A native forward destination (v1.20+). */
export interface MtxForwardDest {
  readonly id: string;
  readonly pos: number;
  readonly created: string;
  readonly conf: {
    readonly dest: string;
    readonly destFingerprint: string | null;
    readonly whipBearerToken: string | null;
  };
  readonly protocol: string;
  readonly state: string;
  readonly lastError: string | null;
  readonly outboundBytes: number;
}

/** Every `/list` result: all pages, deduplicated by key. */
export interface MtxList<T> {
  readonly items: readonly T[];
  /** `itemCount` reported by the last page. */
  readonly itemCount: number;
  /** Pages fetched. */
  readonly pages: number;
  /**
   * False when `itemCount` changed during the walk: MediaMTX recomputes the list on each
   * page, so an item may have been missed (or seen on two pages; duplicates are dropped).
   */
  readonly consistent: boolean;
  /** True when the list came back empty because the protocol is disabled or unsupported. */
  readonly disabled: boolean;
}
