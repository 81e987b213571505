import {
  type MtxConnection,
  type MtxConnectionBase,
  type MtxRtpCounters,
  type MtxSrtStats,
  SRT_STAT_NAMES,
} from "./model.ts";
import { ShapeReader, stringItems } from "./shape-reader.ts";

/** Connection/session object types, as they appear in `MtxPath.readers`. */
export type MtxConnectionType = MtxConnection["type"];

/** Current RTP counter name → name before the v1.17-era rename. */
const RTP_OLD_NAMES = {
  inboundRTPPackets: "rtpPacketsReceived",
  inboundRTPPacketsLost: "rtpPacketsLost",
  inboundRTPPacketsInError: "rtpPacketsInError",
  inboundRTPPacketsJitter: "rtpPacketsJitter",
  inboundRTCPPackets: "rtcpPacketsReceived",
  inboundRTCPPacketsInError: "rtcpPacketsInError",
  outboundRTPPackets: "rtpPacketsSent",
  outboundRTPPacketsReportedLost: null,
  outboundRTPPacketsDiscarded: null,
  outboundRTCPPackets: "rtcpPacketsSent",
} as const satisfies Record<keyof MtxRtpCounters, string | null>;

/** Normalises one connection/session object of the given type, any version. */
export function normaliseConnection(type: MtxConnectionType, raw: unknown, where: string): MtxConnection {
  const r = new ShapeReader(raw, where);
  switch (type) {
    case "rtspConn":
    case "rtspsConn":
      return { type, ...base(r), session: r.optString("session"), tunnel: r.optString("tunnel") };
    case "rtspSession":
    case "rtspsSession": {
      const conns = r.optArray("conns");
      return {
        type,
        ...base(r),
        ...rtpCounters(r),
        transport: r.optString("transport"),
        profile: r.optString("profile"),
        conns: conns === null ? null : stringItems(conns, `${where}.conns`),
      };
    }
    case "rtmpConn":
    case "rtmpsConn":
      return { type, ...base(r), outboundFramesDiscarded: r.optNumber("outboundFramesDiscarded") };
    case "srtConn":
      return {
        type,
        ...base(r),
        outboundFramesDiscarded: r.optNumber("outboundFramesDiscarded"),
        srt: srtStats(r),
      };
    case "webRTCSession": {
      const c = rtpCounters(r);
      return {
        type,
        ...base(r),
        peerConnectionEstablished: r.optBoolean("peerConnectionEstablished"),
        localCandidate: r.optString("localCandidate"),
        remoteCandidate: r.optString("remoteCandidate"),
        inboundRTPPackets: c.inboundRTPPackets,
        inboundRTPPacketsLost: c.inboundRTPPacketsLost,
        inboundRTPPacketsJitter: c.inboundRTPPacketsJitter,
        inboundRTCPPackets: c.inboundRTCPPackets,
        outboundRTPPackets: c.outboundRTPPackets,
        outboundRTCPPackets: c.outboundRTCPPackets,
        outboundFramesDiscarded: r.optNumber("outboundFramesDiscarded"),
      };
    }
    case "hlsSession":
      return { type, ...base(r, { sendOnly: true }), isCDN: r.optBoolean("isCDN") };
    case "moqSession":
      return { type, ...base(r), transport: r.optString("transport"), version: r.optString("version") };
    default:
      return type satisfies never;
  }
}

/** `sendOnly`: the object has no inbound counter at all (MediaMTX's HLSSession); it received 0. */
function base(r: ShapeReader, { sendOnly = false } = {}): MtxConnectionBase {
  return {
    id: r.string("id"),
    created: r.string("created"),
    remoteAddr: r.string("remoteAddr"),
    state: r.optString("state"),
    path: r.optString("path"),
    query: r.optString("query"),
    user: r.optString("user"),
    userAgent: r.optString("userAgent"),
    // SRT has no inbound/outboundBytes: its library counters are named bytesReceived/bytesSent.
    inboundBytes:
      sendOnly && !r.has("inboundBytes")
        ? 0
        : r.has("inboundBytes")
          ? r.number("inboundBytes")
          : r.number("bytesReceived"),
    outboundBytes: r.has("outboundBytes") ? r.number("outboundBytes") : r.number("bytesSent"),
  };
}

function rtpCounters(r: ShapeReader): MtxRtpCounters {
  const entries = Object.entries(RTP_OLD_NAMES).map(([name, oldName]) => [
    name,
    r.optNumber(name) ?? (oldName === null ? null : r.optNumber(oldName)),
  ]);
  return Object.fromEntries(entries) as unknown as MtxRtpCounters;
}

function srtStats(r: ShapeReader): MtxSrtStats {
  return Object.fromEntries(SRT_STAT_NAMES.map((name) => [name, r.optNumber(name)])) as MtxSrtStats;
}
