import { randomUUID } from "node:crypto";
import type { Socket } from "node:net";
import { authorizeRequest } from "../api/authorize-request.ts";
import { GoDuration } from "../config/go-duration.ts";
import { type FlvFeed, FlvHub } from "../flv/flv-hub.ts";
import {
  FLV_AUDIO,
  FLV_SCRIPT,
  FLV_VIDEO,
  type FlvTag,
  isAudioConfig,
  isVideoConfig,
} from "../flv/flv-tag.ts";
import { tracksOf } from "../flv/flv-tracks.ts";
import type { Logger } from "../log/create-logger.ts";
import type { Conn, Counter } from "../runtime/conn.ts";
import { publishedMedia } from "../runtime/published-media.ts";
import type { SimCore } from "../runtime/sim-core.ts";
import { encodeAmf0 } from "./amf0.ts";
import { MSG } from "./chunk-stream.ts";
import { type RtmpAction, RtmpHandshakeSession } from "./rtmp-handshake-session.ts";
import { RtmpTransport } from "./rtmp-transport.ts";

/** gortmplib reads this much stream time before it decides which tracks a publisher has. */
export const ANALYZE_PERIOD_MS = 2_000;
/** MediaMTX pauses this long after an authentication error (brute-force mitigation). */
export const PAUSE_AFTER_AUTH_ERROR_MS = 2_000;
/** A reader that does not drain its socket loses frames beyond this much queued data. */
const MAX_WRITE_QUEUE_BYTES = 8 * 1024 * 1024;
const VIDEO_CSID = 6;
const AUDIO_CSID = 4;
const DATA_CSID = 4;
const MEDIA_STREAM_ID = 1;
const FLV_CODEC_H264 = 7;
const FLV_CODEC_AAC = 10;

/** Go's `net.Addr.String()` of the peer (IPv4-mapped IPv6 shown as IPv4). */
function remoteAddrOf(socket: Socket): string {
  const ip = (socket.remoteAddress ?? "").replace(/^::ffff:/, "");
  return ip.includes(":") ? `[${ip}]:${socket.remotePort ?? 0}` : `${ip}:${socket.remotePort ?? 0}`;
}

/** What the RTMP server shares with its connections. */
export interface RtmpConnDeps {
  readonly core: SimCore;
  readonly hlsRoot: string;
  readonly log: Logger;
}

/**
 * One RTMP client, as MediaMTX's `internal/servers/rtmp/conn.go` handles it: listed from the
 * TCP accept on (`idle`), then publishing to or reading from one path.
 */
export class RtmpConn implements Conn {
  readonly id = randomUUID();
  readonly kind = "rtmpConn" as const;
  readonly createdMs = Date.now();
  readonly remoteAddr: string;
  state: "publish" | "read" | "idle" = "idle";
  path = "";
  query = "";
  user = "";
  userAgent = "";
  readonly linked: string[] = [];
  readonly inbound: Counter;
  readonly outbound: Counter;
  readonly #socket: Socket;
  readonly #t: RtmpTransport;
  readonly #deps: RtmpConnDeps;
  readonly #log: Logger;
  #closeReason: string | undefined;

  constructor(socket: Socket, deps: RtmpConnDeps) {
    this.#socket = socket;
    this.#deps = deps;
    this.remoteAddr = remoteAddrOf(socket);
    this.#t = new RtmpTransport(socket);
    this.inbound = { value: () => this.#t.bytesReceived };
    this.outbound = { value: () => this.#t.bytesSent };
    this.#log = deps.log.child({ conn: this.id, remoteAddr: this.remoteAddr });
  }

  /** Closes the TCP connection (kick, override, path closed); the run loop then cleans up. */
  close(reason = "terminated"): void {
    this.#closeReason ??= reason;
    this.#socket.destroy();
  }

  /** Serves the client until it leaves or is closed. */
  async run(): Promise<void> {
    const paths = this.#deps.core.paths;
    this.#log.info({}, `[RTMP] [conn ${this.remoteAddr}] opened`);
    paths.openConn(this);
    let reason: string;
    try {
      await this.#serve();
      reason = "EOF";
    } catch (e) {
      reason = this.#closeReason ?? (e instanceof Error ? e.message : String(e));
    }
    this.#socket.destroy();
    paths.closeConn(this);
    this.#log.info({ path: this.path || undefined }, `[RTMP] [conn ${this.remoteAddr}] closed: ${reason}`);
  }

  #readTimeoutMs(): number {
    return GoDuration.toMs(this.#deps.core.liveConf.global.readTimeout ?? "10s") || 10_000;
  }

  async #serve(): Promise<void> {
    const timeoutMs = this.#readTimeoutMs();
    this.#socket.setTimeout(timeoutMs, () => this.close("i/o timeout"));
    const session = new RtmpHandshakeSession(this.#t);
    const action = await session.negotiate();
    this.userAgent = action.flashVer;
    const query = new URLSearchParams(action.rawQuery);
    const user = query.get("user") ?? "";
    const core = this.#deps.core;
    core.paths.findPathConf(action.pathName);
    const auth = await authorizeRequest(core.liveConf, {
      ip: this.#socket.remoteAddress ?? "",
      action: action.publish ? "publish" : "read",
      path: action.pathName,
      authorization: undefined,
      credentials: { user, pass: query.get("pass") ?? "" },
      protocol: "rtmp",
      id: this.id,
      query: action.rawQuery,
    });
    if (auth.kind !== "ok") {
      session.rejectAction();
      await new Promise((r) => setTimeout(r, PAUSE_AFTER_AUTH_ERROR_MS));
      throw new Error(
        `authentication failed: ${user === "" ? "credentials not provided" : "invalid credentials"}`,
      );
    }
    this.user = user;
    if (action.publish) await this.#publish(session, action);
    else await this.#read(session, action);
  }

  async #publish(session: RtmpHandshakeSession, action: RtmpAction): Promise<void> {
    session.acceptAction();
    const buffered: FlvTag[] = [];
    let first: number | undefined;
    for (;;) {
      const tag = await this.#nextTag();
      if (tag === undefined) continue;
      buffered.push(tag);
      if (tag.type === FLV_SCRIPT) continue;
      first ??= tag.timestamp;
      if (tag.timestamp - first >= ANALYZE_PERIOD_MS) break;
    }
    const found = tracksOf(buffered);
    if ("error" in found) throw new Error(found.error);
    const hub = new FlvHub();
    for (const tag of buffered) hub.push(tag);
    const { core, hlsRoot, log } = this.#deps;
    core.paths.publish(action.pathName, {
      sourceType: "rtmpConn",
      conn: this,
      query: action.rawQuery,
      media: (previousStopped) =>
        publishedMedia({ path: action.pathName, hub, tracks: found.tracks, hlsRoot, previousStopped, log }),
    });
    this.state = "publish";
    this.path = action.pathName;
    this.query = action.rawQuery;
    const labels = found.tracks.map((t) => t.codec).join(", ");
    this.#log.info(
      { path: this.path },
      `[RTMP] [conn ${this.remoteAddr}] is publishing to path '${this.path}', ${found.tracks.length} track${found.tracks.length === 1 ? "" : "s"} (${labels})`,
    );
    for (;;) {
      const tag = await this.#nextTag();
      if (tag !== undefined) hub.push(tag);
    }
  }

  /** The next audio/video/metadata message as a tag; undefined for other messages. */
  async #nextTag(): Promise<FlvTag | undefined> {
    const msg = await this.#t.readMessage();
    if (msg.typeId === MSG.audio || msg.typeId === MSG.video) {
      return { type: msg.typeId, timestamp: msg.timestamp, data: msg.payload };
    }
    if (msg.typeId === MSG.dataAmf0) return { type: FLV_SCRIPT, timestamp: 0, data: msg.payload };
    return undefined;
  }

  async #read(session: RtmpHandshakeSession, action: RtmpAction): Promise<void> {
    const core = this.#deps.core;
    this.query = action.rawQuery; // runOnRead reads it while the reader is added
    core.paths.addReader(action.pathName, { type: "rtmpConn", query: action.rawQuery, conn: this });
    session.acceptAction();
    this.state = "read";
    this.path = action.pathName;
    this.query = action.rawQuery;
    this.#socket.setTimeout(0); // MediaMTX disables the read deadline of readers
    const feed = core.paths.get(action.pathName)?.source?.media?.feed?.();
    this.#log.info(
      { path: this.path },
      `[RTMP] [conn ${this.remoteAddr}] is reading from path '${this.path}'`,
    );
    const detach = feed === undefined ? () => {} : this.#streamTo(feed);
    try {
      for (;;) await this.#t.readMessage(); // the player's acks and commands; EOF ends the loop
    } finally {
      detach();
    }
  }

  /** Sends metadata and sequence headers, then the stream from the last key frame. */
  #streamTo(feed: FlvFeed): () => void {
    const meta = {
      videocodecid: feed.hasVideo ? FLV_CODEC_H264 : 0,
      videodatarate: 0,
      audiocodecid: feed.hasAudio ? FLV_CODEC_AAC : 0,
      audiodatarate: 0,
    };
    this.#t.writeMessage({
      chunkStreamId: DATA_CSID,
      typeId: MSG.dataAmf0,
      streamId: MEDIA_STREAM_ID,
      timestamp: 0,
      payload: encodeAmf0(["@setDataFrame", "onMetaData", meta]),
    });
    return feed.subscribe({
      tag: (tag) => {
        if (tag.type === FLV_SCRIPT) return;
        const config = isVideoConfig(tag) || isAudioConfig(tag);
        if (!config && this.#socket.writableLength > MAX_WRITE_QUEUE_BYTES) return;
        this.#t.writeMessage({
          chunkStreamId: tag.type === FLV_VIDEO ? VIDEO_CSID : AUDIO_CSID,
          typeId: tag.type === FLV_AUDIO ? MSG.audio : MSG.video,
          streamId: MEDIA_STREAM_ID,
          timestamp: tag.timestamp,
          payload: tag.data,
        });
      },
      end: () => this.close("stream ended"),
    });
  }
}
