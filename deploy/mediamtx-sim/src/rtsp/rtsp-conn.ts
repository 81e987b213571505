import { randomUUID } from "node:crypto";
import type { Socket } from "node:net";
import type { AuthResult } from "../api/authenticate.ts";
import { authorizeRequest } from "../api/authorize-request.ts";
import type { FlvTag } from "../flv/flv-tag.ts";
import { tracksOf } from "../flv/flv-tracks.ts";
import type { Logger } from "../log/create-logger.ts";
import type { Conn, Counter } from "../runtime/conn.ts";
import { ControlError } from "../runtime/control-error.ts";
import type { TrackInfo } from "../runtime/media-handle.ts";
import { publishedMedia } from "../runtime/published-media.ts";
import type { SimCore } from "../runtime/sim-core.ts";
import { RtpIn } from "./rtp-in.ts";
import { describeSdp, RtpOut } from "./rtp-out.ts";
import { encodeInterleaved, encodeRtspResponse, RtspParser, type RtspRequest } from "./rtsp-parser.ts";
import { RtspSession } from "./rtsp-session.ts";

/** MediaMTX pauses this long after wrong credentials (brute-force mitigation). */
const PAUSE_AFTER_AUTH_ERROR_MS = 2_000;
/** How long a RECORDing publisher may take until ffmpeg has seen every announced track. */
const TRACKS_WAIT_MS = 8_000;
const SESSION_TIMEOUT_S = 60;
const PUBLIC_METHODS = "DESCRIBE, ANNOUNCE, SETUP, PLAY, RECORD, PAUSE, GET_PARAMETER, TEARDOWN";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What the RTSP server shares with its connections. */
export interface RtspConnDeps {
  readonly core: SimCore;
  readonly hlsRoot: string;
  readonly log: Logger;
}

function remoteAddrOf(socket: Socket): string {
  const ip = (socket.remoteAddress ?? "").replace(/^::ffff:/, "");
  return ip.includes(":") ? `[${ip}]:${socket.remotePort ?? 0}` : `${ip}:${socket.remotePort ?? 0}`;
}

/** Path and query of an RTSP URL, without a trailing control part (`/trackID=0`, `/streamid=0`). */
function splitUrl(raw: string, stripControl: boolean): { path: string; query: string; control: string } {
  let rest = raw.replace(/^rtsps?:\/\/[^/]*/i, "");
  let control = "";
  if (stripControl) {
    const m = /\/?((?:trackID|streamid)=\d+)$/.exec(rest);
    if (m !== null) {
      control = m[1] ?? "";
      rest = rest.slice(0, m.index);
    }
  }
  const q = rest.indexOf("?");
  const pathPart = q < 0 ? rest : rest.slice(0, q);
  const query = q < 0 ? "" : rest.slice(q + 1);
  let path = pathPart;
  try {
    path = decodeURIComponent(pathPart);
  } catch {
    // keep it raw: the path check refuses it
  }
  return { path: path.replace(/^\/+/, "").replace(/\/+$/, ""), query, control };
}

class RtspError extends Error {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  constructor(status: number, message: string, headers: Readonly<Record<string, string>> = {}) {
    super(message);
    this.status = status;
    this.headers = headers;
  }
}

interface SetupTrack {
  readonly track: number;
  readonly rtpChannel: number;
}

/**
 * One RTSP client over TCP (`/v3/rtspconns`) and its session (`/v3/rtspsessions`), like
 * MediaMTX's `internal/servers/rtsp`: DESCRIBE/SETUP/PLAY reads a path, ANNOUNCE/SETUP/RECORD
 * publishes to it; RTP travels interleaved in the TCP connection (UDP answers 461).
 */
export class RtspConn implements Conn {
  readonly id = randomUUID();
  readonly kind = "rtspConn" as const;
  readonly createdMs = Date.now();
  readonly remoteAddr: string;
  readonly state = "idle" as const;
  readonly path = "";
  readonly query = "";
  readonly user = "";
  readonly userAgent = "";
  readonly linked: string[] = [];
  bytesIn = 0;
  bytesOut = 0;
  readonly inbound: Counter = { value: () => this.bytesIn };
  readonly outbound: Counter = { value: () => this.bytesOut };
  readonly #socket: Socket;
  readonly #deps: RtspConnDeps;
  readonly #log: Logger;
  #session: RtspSession | undefined;
  #rtpOut: RtpOut | undefined;
  #rtpIn: RtpIn | undefined;
  #described: { path: string; query: string; trackCount: number } | undefined;
  #announced: { path: string; query: string; sdp: string; controls: string[] } | undefined;
  readonly #setups: SetupTrack[] = [];
  #closeReason: string | undefined;
  #queue: Promise<void> = Promise.resolve();

  constructor(socket: Socket, deps: RtspConnDeps) {
    this.#socket = socket;
    this.#deps = deps;
    this.remoteAddr = remoteAddrOf(socket);
    this.#log = deps.log.child({ conn: this.id, remoteAddr: this.remoteAddr });
  }

  close(reason = "terminated"): void {
    this.#closeReason ??= reason;
    this.#socket.destroy();
  }

  /** Serves the client until it leaves or is closed. */
  run(): Promise<void> {
    const paths = this.#deps.core.paths;
    this.#log.info({}, `[RTSP] [conn ${this.remoteAddr}] opened`);
    paths.openConn(this);
    const parser = new RtspParser();
    this.#socket.on("data", (chunk: Buffer) => {
      this.bytesIn += chunk.length;
      let inputs: ReturnType<RtspParser["push"]>;
      try {
        inputs = parser.push(chunk);
      } catch (e) {
        this.close((e as Error).message);
        return;
      }
      for (const input of inputs) {
        if (input.kind === "frame") this.#frame(input.frame.channel, input.frame.payload);
        else
          this.#queue = this.#queue
            .then(() => this.#handle(input.request))
            .catch((e: unknown) => this.close(String(e)));
      }
    });
    return new Promise((resolve) => {
      this.#socket.on("error", () => {});
      this.#socket.on("close", () => {
        void this.#cleanup().finally(resolve);
      });
    });
  }

  async #cleanup(): Promise<void> {
    const paths = this.#deps.core.paths;
    const session = this.#session;
    if (session !== undefined) {
      paths.closeConn(session);
      this.#log.info({}, `[RTSP] [session ${session.secret}] destroyed: ${this.#closeReason ?? "EOF"}`);
    }
    paths.closeConn(this);
    await Promise.all([this.#rtpOut?.close(), this.#rtpIn?.close()]);
    this.#log.info({}, `[RTSP] [conn ${this.remoteAddr}] closed: ${this.#closeReason ?? "EOF"}`);
  }

  #write(b: Buffer): void {
    if (this.#socket.destroyed) return;
    this.bytesOut += b.length;
    this.#socket.write(b);
  }

  #frame(channel: number, payload: Buffer): void {
    const session = this.#session;
    if (session === undefined || this.#rtpIn === undefined) return;
    session.bytesIn += payload.length;
    const setup = this.#setups.find((s) => channel === s.rtpChannel || channel === s.rtpChannel + 1);
    if (setup === undefined) return;
    const rtcp = channel !== setup.rtpChannel;
    if (rtcp) session.counts.inboundRTCP++;
    else session.counts.inboundRTP++;
    this.#rtpIn.send(setup.track, rtcp, payload);
  }

  async #handle(req: RtspRequest): Promise<void> {
    if (this.#socket.destroyed) return;
    const base: Record<string, string> = { CSeq: req.headers.get("cseq") ?? "0", Server: "gortsplib" };
    let status = 200;
    let headers: Record<string, string> = {};
    let body: Buffer | undefined;
    let closeAfter = false;
    try {
      switch (req.method) {
        case "OPTIONS":
          headers = { Public: PUBLIC_METHODS };
          break;
        case "DESCRIBE":
          ({ headers, body } = await this.#describe(req));
          break;
        case "ANNOUNCE":
          await this.#announce(req);
          break;
        case "SETUP":
          headers = await this.#setup(req);
          break;
        case "PLAY":
          headers = this.#play();
          break;
        case "RECORD":
          headers = this.#record();
          break;
        case "GET_PARAMETER":
        case "SET_PARAMETER":
        case "PAUSE":
          if (this.#session !== undefined) headers = { Session: this.#sessionHeader() };
          break;
        case "TEARDOWN":
          closeAfter = true;
          break;
        default:
          status = 501;
      }
    } catch (e) {
      if (e instanceof RtspError) {
        status = e.status;
        headers = { ...e.headers };
        if (e.message !== "") this.#log.info({}, `[RTSP] [conn ${this.remoteAddr}] ${e.message}`);
        closeAfter = e.message !== "";
        if (closeAfter) this.#closeReason ??= e.message;
      } else {
        status = 400;
        closeAfter = true;
        this.#closeReason ??= (e as Error).message;
      }
    }
    this.#write(encodeRtspResponse(status, { ...base, ...headers }, body));
    if (closeAfter) {
      this.#closeReason ??= req.method === "TEARDOWN" ? "teared down by client" : undefined;
      this.#socket.end();
      setTimeout(() => this.#socket.destroy(), 200).unref();
    }
  }

  #sessionHeader(): string {
    return `${this.#session?.secret ?? ""};timeout=${SESSION_TIMEOUT_S}`;
  }

  /** Path config, then auth, like MediaMTX's `FindPathConf`; RTSP errors as MediaMTX answers them. */
  async #authorize(
    req: RtspRequest,
    path: string,
    query: string,
    action: "read" | "publish",
  ): Promise<string> {
    const core = this.#deps.core;
    try {
      core.paths.findPathConf(path);
    } catch (e) {
      throw new RtspError(400, (e as Error).message);
    }
    const authorization = req.headers.get("authorization");
    const auth: AuthResult = await authorizeRequest(core.liveConf, {
      ip: this.#socket.remoteAddress ?? "",
      action,
      path,
      authorization: authorization?.startsWith("Basic ") === true ? authorization : undefined,
      protocol: "rtsp",
      id: this.id,
      query,
    });
    if (auth.kind === "ok") {
      if (authorization?.startsWith("Basic ") !== true) return "";
      return Buffer.from(authorization.slice(6), "base64").toString("utf8").split(":")[0] ?? "";
    }
    if (auth.kind === "noCredentials") {
      throw new RtspError(401, "", { "WWW-Authenticate": 'Basic realm="mediamtx"' });
    }
    await sleep(PAUSE_AFTER_AUTH_ERROR_MS);
    throw new RtspError(401, "authentication failed: invalid credentials", {
      "WWW-Authenticate": 'Basic realm="mediamtx"',
    });
  }

  #ensureSession(req: RtspRequest, path: string, query: string, user: string): RtspSession {
    if (this.#session !== undefined) return this.#session;
    const session = new RtspSession({
      remoteAddr: this.remoteAddr,
      connId: this.id,
      close: () => this.close("terminated"),
    });
    session.path = path;
    session.query = query;
    session.user = user;
    session.userAgent = req.headers.get("user-agent") ?? "";
    this.#session = session;
    this.linked.push(session.id);
    this.#deps.core.paths.openConn(session);
    this.#log.info({}, `[RTSP] [session ${session.secret}] created by ${this.remoteAddr}`);
    return session;
  }

  async #describe(req: RtspRequest): Promise<{ headers: Record<string, string>; body: Buffer }> {
    const { path, query } = splitUrl(req.url, false);
    await this.#authorize(req, path, query, "read");
    const feed = this.#deps.core.paths.get(path)?.source?.media?.feed?.();
    const runtime = this.#deps.core.paths.get(path);
    if (runtime === undefined || !runtime.available || feed === undefined) {
      throw new RtspError(404, `no stream is available on path '${path}'`);
    }
    await this.#rtpOut?.close();
    const out = new RtpOut();
    this.#rtpOut = out;
    let sdp: string;
    try {
      sdp = describeSdp(await out.start(feed, this.#log));
    } catch (e) {
      throw new RtspError(500, (e as Error).message);
    }
    this.#described = { path, query, trackCount: sdp.split("\r\nm=").length - 1 };
    const contentBase = req.url.endsWith("/") ? req.url : `${req.url}/`;
    return {
      headers: { "Content-Base": contentBase, "Content-Type": "application/sdp" },
      body: Buffer.from(sdp),
    };
  }

  async #announce(req: RtspRequest): Promise<void> {
    const { path, query } = splitUrl(req.url, false);
    if (this.#session !== undefined) throw new RtspError(455, "");
    const user = await this.#authorize(req, path, query, "publish");
    const sdp = req.body.toString("utf8");
    const controls = sdp
      .split(/\r?\n(?=m=)/)
      .slice(1)
      .map((s, i) => /^a=control:(.*)$/m.exec(s)?.[1]?.trim() ?? `trackID=${i}`);
    if (controls.length === 0) throw new RtspError(400, "invalid SDP: no media");
    const existing = this.#deps.core.paths.get(path);
    if (existing?.source !== undefined && existing.conf.overridePublisher !== true) {
      throw new RtspError(400, `someone is already publishing to path '${path}'`);
    }
    this.#announced = { path, query, sdp, controls };
    this.#ensureSession(req, path, query, user);
  }

  async #setup(req: RtspRequest): Promise<Record<string, string>> {
    const transport = req.headers.get("transport") ?? "";
    const { path, query, control } = splitUrl(req.url, true);
    const interleaved = /interleaved=(\d+)(?:-(\d+))?/.exec(transport);
    if (!/RTP\/AVP\/TCP/i.test(transport) || interleaved === null) {
      throw new RtspError(461, "");
    }
    const rtpChannel = Number(interleaved[1]);
    let track: number;
    if (this.#announced !== undefined) {
      const cs = this.#announced.controls;
      track = cs.findIndex((c) => c === control || req.url.endsWith(c));
      if (track < 0) throw new RtspError(400, `invalid track path (${req.url})`);
    } else {
      if (this.#described === undefined || this.#described.path !== path) {
        // SETUP without DESCRIBE: MediaMTX computes the stream; here it takes a DESCRIBE.
        await this.#describe({ ...req, url: req.url.replace(/\/?(?:trackID|streamid)=\d+$/, "") });
      }
      const described = this.#described;
      if (described === undefined) throw new RtspError(500, "stream not described");
      track = Number(/=(\d+)$/.exec(control)?.[1] ?? "0");
      if (track >= described.trackCount) throw new RtspError(400, `invalid track path (${req.url})`);
      const user = this.#session === undefined ? await this.#authorize(req, path, query, "read") : "";
      this.#ensureSession(req, path, query, this.#session?.user ?? user);
    }
    this.#setups.push({ track, rtpChannel });
    return {
      Session: this.#sessionHeader(),
      Transport: `RTP/AVP/TCP;unicast;interleaved=${rtpChannel}-${rtpChannel + 1}`,
    };
  }

  #play(): Record<string, string> {
    const session = this.#session;
    const out = this.#rtpOut;
    if (
      session === undefined ||
      out === undefined ||
      this.#setups.length === 0 ||
      this.#announced !== undefined
    )
      throw new RtspError(455, "");
    if (session.state === "read") return { Session: this.#sessionHeader() };
    try {
      this.#deps.core.paths.addReader(session.path, {
        type: "rtspSession",
        query: session.query,
        conn: session,
      });
    } catch (e) {
      const msg = (e as Error).message;
      throw new RtspError(e instanceof ControlError && msg.startsWith("no stream") ? 404 : 400, msg);
    }
    session.state = "read";
    const setups = [...this.#setups];
    out.play((track, rtcp, packet) => {
      const s = setups.find((x) => x.track === track);
      if (s === undefined) return;
      const frame = encodeInterleaved(s.rtpChannel + (rtcp ? 1 : 0), packet);
      session.bytesOut += packet.length;
      if (rtcp) session.counts.outboundRTCP++;
      else session.counts.outboundRTP++;
      this.#write(frame);
    });
    const n = this.#described?.trackCount ?? setups.length;
    this.#log.info(
      { path: session.path },
      `[RTSP] [session ${session.secret}] is reading from path '${session.path}', with TCP, ${n} track${n === 1 ? "" : "s"}`,
    );
    return { Session: this.#sessionHeader(), Range: "npt=0.000-" };
  }

  #record(): Record<string, string> {
    const session = this.#session;
    const announced = this.#announced;
    if (session === undefined || announced === undefined || this.#setups.length === 0)
      throw new RtspError(455, "");
    if (this.#rtpIn !== undefined) return { Session: this.#sessionHeader() };
    const rtpIn = new RtpIn();
    this.#rtpIn = rtpIn;
    void this.#startPublishing(rtpIn, session, announced).catch((e: unknown) => {
      this.close((e as Error).message);
    });
    return { Session: this.#sessionHeader() };
  }

  async #startPublishing(
    rtpIn: RtpIn,
    session: RtspSession,
    announced: { path: string; query: string; sdp: string },
  ): Promise<void> {
    await rtpIn.start(announced.sdp, this.#log);
    const tracks = await this.#waitForTracks(rtpIn);
    if (this.#socket.destroyed) return;
    const { core, hlsRoot, log } = this.#deps;
    const path = announced.path;
    core.paths.publish(path, {
      sourceType: "rtspSession",
      conn: session,
      query: announced.query,
      media: (previousStopped) => {
        const media = publishedMedia({ path, hub: rtpIn.hub, tracks, hlsRoot, previousStopped, log });
        return {
          ...media,
          async stop() {
            await Promise.all([media.stop(), rtpIn.close()]);
          },
        };
      },
    });
    session.state = "publish";
    const labels = tracks.map((t) => t.codec).join(", ");
    this.#log.info(
      { path },
      `[RTSP] [session ${session.secret}] is publishing to path '${path}', with TCP, ${tracks.length} track${tracks.length === 1 ? "" : "s"} (${labels})`,
    );
  }

  /** The announced tracks as ffmpeg remuxes them (their sequence headers); MediaMTX reads them from the SDP. */
  async #waitForTracks(rtpIn: RtpIn): Promise<TrackInfo[]> {
    const tags: FlvTag[] = [];
    const deadline = Date.now() + TRACKS_WAIT_MS;
    const detach = rtpIn.hub.subscribe({ tag: (t) => void tags.push(t), end: () => {} });
    try {
      for (;;) {
        const found = tracksOf(tags);
        if ("tracks" in found && found.tracks.length >= rtpIn.trackCount) return found.tracks;
        if (this.#socket.destroyed) throw new Error("terminated");
        if (Date.now() > deadline) {
          if ("tracks" in found && found.tracks.length > 0) return found.tracks;
          throw new Error("no tracks found");
        }
        await sleep(50);
      }
    } finally {
      detach();
    }
  }
}
