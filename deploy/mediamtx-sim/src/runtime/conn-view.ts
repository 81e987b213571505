import type { MtxVersion } from "../spec/mtx-version.ts";
import { goTime } from "../util/go-time.ts";
import type { Conn } from "./conn.ts";

const PACKET_BYTES = 1200;

/** Renders a connection/session object exactly as `/v3/<kind>/get` of `version` does. */
export function connView(c: Conn, version: MtxVersion, nowMs: number): Record<string, unknown> {
  const inb = c.inbound.value(nowMs);
  const outb = c.outbound.value(nowMs);
  const inPk = Math.floor(inb / PACKET_BYTES);
  const outPk = Math.floor(outb / PACKET_BYTES);
  const base = { id: c.id, created: goTime(c.createdMs), remoteAddr: c.remoteAddr };
  const old = version === "v1.9.3";
  const who = { state: c.state, path: c.path, query: c.query, user: c.user, userAgent: c.userAgent };
  const bytes = { inboundBytes: inb, outboundBytes: outb, bytesReceived: inb, bytesSent: outb };
  switch (c.kind) {
    case "rtspConn":
    case "rtspsConn":
      if (old) return { ...base, bytesReceived: inb, bytesSent: outb };
      return { ...base, session: c.linked[0] ?? null, tunnel: "none", ...bytes };
    case "rtspSession":
    case "rtspsSession":
      if (old) {
        return {
          ...base,
          state: c.state,
          path: c.path,
          query: c.query,
          transport: "TCP",
          bytesReceived: inb,
          bytesSent: outb,
        };
      }
      {
        const pk = c.packets?.() ?? {
          inboundRTP: inPk,
          inboundRTCP: Math.floor(inPk / 100),
          outboundRTP: outPk,
          outboundRTCP: Math.floor(outPk / 100),
        };
        return {
          ...base,
          ...who,
          transport: "TCP",
          profile: "AVP",
          conns: [...c.linked],
          ...bytes,
          inboundRTPPackets: pk.inboundRTP,
          inboundRTPPacketsLost: 0,
          inboundRTPPacketsInError: 0,
          inboundRTPPacketsJitter: 0,
          inboundRTCPPackets: pk.inboundRTCP,
          inboundRTCPPacketsInError: 0,
          outboundRTPPackets: pk.outboundRTP,
          outboundRTPPacketsReportedLost: 0,
          outboundRTPPacketsDiscarded: 0,
          outboundRTCPPackets: pk.outboundRTCP,
          rtpPacketsReceived: pk.inboundRTP,
          rtpPacketsSent: pk.outboundRTP,
          rtpPacketsLost: 0,
          rtpPacketsInError: 0,
          rtpPacketsJitter: 0,
          rtcpPacketsReceived: pk.inboundRTCP,
          rtcpPacketsSent: pk.outboundRTCP,
          rtcpPacketsInError: 0,
        };
      }
    case "rtmpConn":
    case "rtmpsConn":
      if (old)
        return { ...base, state: c.state, path: c.path, query: c.query, bytesReceived: inb, bytesSent: outb };
      return { ...base, ...who, ...bytes, outboundFramesDiscarded: 0 };
    case "webRTCSession": {
      const ice = {
        peerConnectionEstablished: true,
        localCandidate: "host/udp/127.0.0.1/8189",
        remoteCandidate: `host/udp/${c.remoteAddr.replace(":", "/")}`,
      };
      if (old)
        return {
          ...base,
          ...ice,
          state: c.state,
          path: c.path,
          query: c.query,
          bytesReceived: inb,
          bytesSent: outb,
        };
      return {
        ...base,
        ...ice,
        ...who,
        ...bytes,
        inboundRTPPackets: inPk,
        inboundRTPPacketsLost: 0,
        inboundRTPPacketsJitter: 0,
        inboundRTCPPackets: Math.floor(inPk / 100),
        outboundRTPPackets: outPk,
        outboundRTCPPackets: Math.floor(outPk / 100),
        outboundFramesDiscarded: 0,
        rtpPacketsReceived: inPk,
        rtpPacketsSent: outPk,
        rtpPacketsLost: 0,
        rtpPacketsJitter: 0,
        rtcpPacketsReceived: Math.floor(inPk / 100),
        rtcpPacketsSent: Math.floor(outPk / 100),
      };
    }
    case "srtConn": {
      const head = old
        ? { ...base, state: c.state, path: c.path, query: c.query }
        : { ...base, state: c.state, path: c.path, query: c.query, user: c.user };
      const stats = srtStats(inb, outb, inPk, outPk);
      return old ? { ...head, ...stats } : { ...head, ...stats, outboundFramesDiscarded: 0 };
    }
    case "hlsSession":
      return {
        ...base,
        path: c.path,
        query: c.query,
        user: c.user,
        userAgent: c.userAgent,
        isCDN: false,
        outboundBytes: outb,
      };
    case "moqSession":
      return {
        ...base,
        state: c.state,
        path: c.path,
        query: c.query,
        userAgent: c.userAgent,
        transport: "quic",
        version: "moqt-16",
        inboundBytes: inb,
        outboundBytes: outb,
      };
  }
}

function srtStats(inb: number, outb: number, inPk: number, outPk: number): Record<string, number> {
  return {
    packetsSent: outPk,
    packetsReceived: inPk,
    packetsSentUnique: outPk,
    packetsReceivedUnique: inPk,
    packetsSendLoss: 0,
    packetsReceivedLoss: 0,
    packetsRetrans: 0,
    packetsReceivedRetrans: 0,
    packetsSentACK: Math.floor(inPk / 64),
    packetsReceivedACK: Math.floor(outPk / 64),
    packetsSentNAK: 0,
    packetsReceivedNAK: 0,
    packetsSentKM: 0,
    packetsReceivedKM: 0,
    usSndDuration: 0,
    packetsReceivedBelated: 0,
    packetsSendDrop: 0,
    packetsReceivedDrop: 0,
    packetsReceivedUndecrypt: 0,
    bytesSent: outb,
    bytesReceived: inb,
    bytesSentUnique: outb,
    bytesReceivedUnique: inb,
    bytesReceivedLoss: 0,
    bytesRetrans: 0,
    bytesReceivedRetrans: 0,
    bytesReceivedBelated: 0,
    bytesSendDrop: 0,
    bytesReceivedDrop: 0,
    bytesReceivedUndecrypt: 0,
    usPacketsSendPeriod: 10.5,
    packetsFlowWindow: 25600,
    packetsFlightSize: 0,
    msRTT: 0.25,
    mbpsSendRate: 0,
    mbpsReceiveRate: inb > 0 ? 2.5 : 0,
    mbpsLinkCapacity: 1000,
    bytesAvailSendBuf: 12058624,
    bytesAvailReceiveBuf: 12058624,
    mbpsMaxBW: -1,
    byteMSS: 1500,
    packetsSendBuf: 0,
    bytesSendBuf: 0,
    msSendBuf: 0,
    msSendTsbPdDelay: 120,
    packetsReceiveBuf: 0,
    bytesReceiveBuf: 0,
    msReceiveBuf: 0,
    msReceiveTsbPdDelay: 120,
    packetsReorderTolerance: 0,
    packetsReceivedAvgBelatedTime: 0,
    packetsSendLossRate: 0,
    packetsReceivedLossRate: 0,
  };
}
