import { readFile, stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { join, posix } from "node:path";
import type { AuthResult } from "../api/authenticate.ts";
import { authorizeRequest } from "../api/authorize-request.ts";
import { GoDuration } from "../config/go-duration.ts";
import type { Logger } from "../log/create-logger.ts";
import { ControlError } from "../runtime/control-error.ts";
import type { HlsMuxer } from "../runtime/hls-muxers.ts";
import type { PathListener } from "../runtime/path-listener.ts";
import type { RuntimePath } from "../runtime/runtime-path.ts";
import type { SimCore } from "../runtime/sim-core.ts";
import { goEncodeQuery, parseCookies } from "./go-url-values.ts";
import { HlsSession } from "./hls-session.ts";
import { MEDIA_PLAYLIST_NAME, multivariantPlaylist, type SegmentRates } from "./multivariant-playlist.ts";

/** MediaMTX closes an HLS session this long after its last request (`sessionCloseAfter`). */
export const DEFAULT_HLS_SESSION_CLOSE_AFTER_MS = 30_000;
/** MediaMTX's pause after a failed authentication or an unknown session. */
const PAUSE_AFTER_ERROR_MS = 2_000;
/** How long the first playlist request waits for the muxer's first segment. */
const FIRST_SEGMENT_WAIT_MS = 10_000;
const SESSION_COOKIE = "hlsSession";
const SESSION_QUERY = "session";
/** The muxer's own playlist file (ffmpeg's media playlist), served as `main_stream.m3u8`. */
const MUXER_PLAYLIST_FILE = "index.m3u8";
const PLAYER_PAGE =
  '<!DOCTYPE html><html><body><video src="index.m3u8" controls autoplay></video></body></html>';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Kind = "index" | "multivariant" | "mediaPlaylist" | "segment";

function clientIp(req: IncomingMessage): string {
  return (req.socket.remoteAddress ?? "").replace(/^::ffff:/, "");
}

function remoteAddr(req: IncomingMessage): string {
  const ip = clientIp(req);
  return ip.includes(":") ? `[${ip}]:${req.socket.remotePort ?? 0}` : `${ip}:${req.socket.remotePort ?? 0}`;
}

/** The user name of HTTP credentials (`Basic` or `Bearer user:pass`), "" without. */
function basicUser(header: string | undefined): string {
  if (header?.startsWith("Basic ") === true)
    return Buffer.from(header.slice(6), "base64").toString("utf8").split(":")[0] ?? "";
  if (header?.startsWith("Bearer ") === true && header.includes(":"))
    return header.slice(7).split(":")[0] ?? "";
  return "";
}

function sendJsonError(res: ServerResponse, status: number, error: string): void {
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8" });
  res.end(JSON.stringify({ status: "error", error }));
}

function notFound(res: ServerResponse): void {
  res.writeHead(404, { "Content-Type": "text/plain" }).end("404 page not found");
}

/** Go's `http.SetCookie` twice, like MediaMTX: a plain cookie and a partitioned third-party one. */
function setCookie(res: ServerResponse, name: string, value: string): void {
  const prev = res.getHeader("Set-Cookie");
  const list = Array.isArray(prev) ? prev : prev === undefined ? [] : [String(prev)];
  list.push(`${name}=${value}`, `${name}=${value}; HttpOnly; Secure; SameSite=None; Partitioned`);
  res.setHeader("Set-Cookie", list);
}

/**
 * MediaMTX's HLS server with viewer sessions (v1.18+): `index.m3u8` first redirects with
 * `cookieCheck=1`, then creates an `hlsSession` reader of the path, identified afterwards by the
 * `hlsSession` cookie or the `session` query parameter added to the playlist's URLs; playlists
 * and segments without a live session get 401. A session ends 30 s after its last request.
 * `index.m3u8` is gohlslib's multivariant playlist pointing at `main_stream.m3u8` (the MPEG-TS
 * variant's media playlist) with the request's query, so a player reloads only that URL and one
 * read is one session.
 */
export class HlsServer implements PathListener {
  readonly #core: SimCore;
  readonly #hlsRoot: string;
  readonly #log: Logger;
  readonly #closeAfterMs: number;
  readonly #sweeper: NodeJS.Timeout;

  constructor(options: { core: SimCore; hlsRoot: string; log: Logger; sessionCloseAfterMs?: number }) {
    this.#core = options.core;
    this.#hlsRoot = options.hlsRoot;
    this.#log = options.log;
    this.#closeAfterMs = options.sessionCloseAfterMs ?? DEFAULT_HLS_SESSION_CLOSE_AFTER_MS;
    this.#sweeper = setInterval(() => this.#sweep(), Math.max(100, this.#closeAfterMs / 3));
    this.#sweeper.unref();
  }

  readonly handler = (req: IncomingMessage, res: ServerResponse): void => {
    this.#serve(req, res).catch((e: unknown) => {
      this.#log.warn({ err: String(e) }, "HLS request failed");
      if (!res.headersSent) sendJsonError(res, 500, String(e));
      else res.destroy();
    });
  };

  async #serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method === "OPTIONS" && req.headers["access-control-request-method"] !== undefined) {
      res.writeHead(204, {
        "Access-Control-Allow-Methods": "OPTIONS, GET",
        "Access-Control-Allow-Headers": "Authorization, Range",
      });
      res.end();
      return;
    }
    const url = new URL(req.url ?? "/", "http://localhost");
    let pa: string;
    try {
      pa = decodeURIComponent(url.pathname).slice(1);
    } catch {
      return notFound(res);
    }
    if (req.method !== "GET" || pa === "" || pa === "favicon.ico" || pa.split("/").some((p) => p === ".."))
      return notFound(res);
    let kind: Kind;
    let dir: string;
    let fname = "";
    if (pa.endsWith(".m3u8")) {
      [dir, fname] = [posix.dirname(pa), posix.basename(pa)];
      kind = fname === "index.m3u8" ? "multivariant" : "mediaPlaylist";
    } else if (/\.(ts|mp4|mp)$/.test(pa)) {
      [dir, fname] = [posix.dirname(pa), posix.basename(pa)];
      kind = "segment";
    } else if (!pa.endsWith("/")) {
      res.writeHead(302, { Location: `/${posix.normalize(pa).replace(/^\/+/, "")}/${url.search}` }).end();
      return;
    } else {
      dir = pa.slice(0, -1);
      kind = "index";
    }
    if (kind === "index") return this.#index(req, res, dir, url);
    if (kind === "multivariant") return this.#createSession(req, res, dir, url);
    return this.#sessionRequest(req, res, dir, fname, url);
  }

  async #authorize(req: IncomingMessage, path: string, query: string): Promise<AuthResult> {
    return authorizeRequest(this.#core.liveConf, {
      ip: req.socket.remoteAddress ?? "",
      action: "read",
      path,
      authorization: req.headers.authorization,
      protocol: "hls",
      query,
    });
  }

  /** 401 like MediaMTX: ask for credentials at once, or pause after wrong ones. */
  async #refuse(res: ServerResponse, auth: AuthResult, req: IncomingMessage): Promise<void> {
    if (auth.kind === "noCredentials") res.setHeader("WWW-Authenticate", 'Basic realm="mediamtx"');
    else {
      this.#log.info({}, `[HLS] connection ${remoteAddr(req)} failed to authenticate`);
      await sleep(PAUSE_AFTER_ERROR_MS);
    }
    sendJsonError(res, 401, "authentication error");
  }

  async #index(req: IncomingMessage, res: ServerResponse, dir: string, url: URL): Promise<void> {
    try {
      this.#core.paths.findPathConf(dir);
    } catch (e) {
      return sendJsonError(res, 500, (e as Error).message);
    }
    const auth = await this.#authorize(req, dir, url.search.slice(1));
    if (auth.kind !== "ok") return this.#refuse(res, auth, req);
    res.writeHead(200, { "Content-Type": "text/html", "Cache-Control": "max-age=3600" }).end(PLAYER_PAGE);
  }

  async #createSession(req: IncomingMessage, res: ServerResponse, dir: string, url: URL): Promise<void> {
    const q = url.searchParams;
    if (q.get("cookieCheck") !== "1") {
      setCookie(res, "cookieCheck", "1");
      q.set("cookieCheck", "1");
      res.writeHead(302, {
        Location: `/${posix.normalize(url.pathname).replace(/^\/+/, "")}?${goEncodeQuery(q)}`,
      });
      res.end();
      return;
    }
    const cookies = parseCookies(req.headers.cookie);
    const ua = req.headers["user-agent"] ?? "";
    if (!cookies.has("cookieCheck") && /iPad|iPhone|iPod/.test(ua)) {
      return sendJsonError(res, 400, "HLS on iOS requires the server to set and read cookies");
    }
    q.delete("cookieCheck");
    const query = goEncodeQuery(q);
    const auth = await this.#authorize(req, dir, query);
    if (auth.kind !== "ok") return this.#refuse(res, auth, req);
    const paths = this.#core.paths;
    let path: RuntimePath;
    try {
      paths.findPathConf(dir);
      const p = paths.get(dir);
      if (p === undefined || !p.available)
        throw new ControlError(404, `no stream is available on path '${dir}'`);
      path = p;
    } catch (e) {
      return sendJsonError(
        res,
        e instanceof ControlError && e.status === 404 ? 404 : 500,
        (e as Error).message,
      );
    }
    const playlist = await this.#waitForPlaylist(path);
    if (playlist === undefined) return sendJsonError(res, 500, "muxer instance not available");
    const muxers = this.#core.hlsMuxers;
    const session = new HlsSession({
      remoteAddr: remoteAddr(req),
      path: dir,
      query,
      user: basicUser(req.headers.authorization),
      userAgent: ua,
      onClose: (s) => {
        const m = muxers.get(s.path);
        m?.sessions.delete(s.secret);
      },
    });
    paths.openConn(session);
    try {
      paths.addReader(dir, { type: "hlsSession", query, conn: session });
    } catch (e) {
      paths.closeConn(session);
      const status = (e as Error).message.startsWith("no stream is available") ? 404 : 500;
      return sendJsonError(res, status, (e as Error).message);
    }
    const now = Date.now();
    const muxer = muxers.getOrCreate(dir, now);
    muxer.lastRequestMs = now;
    muxer.sessions.set(session.secret, {
      conn: session,
      secret: session.secret,
      ip: clientIp(req),
      lastRequestMs: now,
    });
    this.#log.info(
      { path: dir, session: session.id },
      `[HLS] [session ${session.id.slice(0, 8)}] created by ${session.remoteAddr}, reading from muxer '${dir}'`,
    );
    if (cookies.get("cookieCheck") === "1") setCookie(res, SESSION_COOKIE, session.secret);
    else q.set(SESSION_QUERY, session.secret);
    const suffix = [...q.keys()].length === 0 ? "" : `?${goEncodeQuery(q)}`;
    const tracks = path.source?.media?.tracks() ?? [];
    const rates = await this.#segmentRates(dir, playlist);
    const body = Buffer.from(multivariantPlaylist({ tracks, rates, query: suffix.slice(1) }));
    session.bytesSent += body.length;
    res.writeHead(200, { "Content-Type": "application/vnd.apple.mpegurl", "Cache-Control": "no-cache" });
    res.end(body);
  }

  /** Peak and average bit rate of the listed segments, like gohlslib's BANDWIDTH attributes. */
  async #segmentRates(dir: string, playlist: string): Promise<SegmentRates> {
    let peak = 0;
    let bits = 0;
    let seconds = 0;
    for (const m of playlist.matchAll(/^#EXTINF:([\d.]+),?\s*\n(?:#.*\n)*([^#\s]\S*)$/gm)) {
      const duration = Number.parseFloat(m[1] ?? "0");
      const size = await stat(join(this.#hlsRoot, ...dir.split("/"), m[2] ?? "")).then(
        (s) => s.size,
        () => 0,
      );
      if (duration <= 0 || size === 0) continue;
      peak = Math.max(peak, (size * 8) / duration);
      bits += size * 8;
      seconds += duration;
    }
    return { peak, average: seconds > 0 ? bits / seconds : 0 };
  }

  async #waitForPlaylist(path: RuntimePath): Promise<string | undefined> {
    const file = join(this.#hlsRoot, ...path.name.split("/"), MUXER_PLAYLIST_FILE);
    const deadline = Date.now() + FIRST_SEGMENT_WAIT_MS;
    for (;;) {
      const text = await readFile(file, "utf8").catch(() => "");
      if (/^[^#\s]/m.test(text)) return text;
      if (Date.now() > deadline || !path.available) return undefined;
      await sleep(100);
    }
  }

  async #sessionRequest(
    req: IncomingMessage,
    res: ServerResponse,
    dir: string,
    fname: string,
    url: URL,
  ): Promise<void> {
    const muxer = this.#core.hlsMuxers.get(dir);
    const cookies = parseCookies(req.headers.cookie);
    const secret = cookies.get(SESSION_COOKIE) ?? url.searchParams.get(SESSION_QUERY) ?? "";
    const entry = muxer?.sessions.get(secret);
    if (muxer === undefined || entry === undefined || entry.ip !== clientIp(req)) {
      await sleep(PAUSE_AFTER_ERROR_MS);
      return sendJsonError(res, 401, "authentication error");
    }
    const now = Date.now();
    entry.lastRequestMs = now;
    muxer.lastRequestMs = now;
    const session = entry.conn as HlsSession;
    if (fname.endsWith(".m3u8")) {
      // gohlslib has only the one media playlist; its segment URIs carry this request's query.
      if (fname !== MEDIA_PLAYLIST_NAME) return void res.writeHead(404).end();
      const text = await readFile(join(this.#hlsRoot, ...dir.split("/"), MUXER_PLAYLIST_FILE), "utf8").catch(
        () => undefined,
      );
      if (text === undefined) return void res.writeHead(404).end();
      const body = Buffer.from(text.replace(/^(?!#)(\S+)$/gm, (uri) => uri + url.search));
      session.bytesSent += body.length;
      res.writeHead(200, { "Content-Type": "application/vnd.apple.mpegurl", "Cache-Control": "no-cache" });
      res.end(body);
      return;
    }
    const file = join(this.#hlsRoot, ...dir.split("/"), fname);
    const isFile = await stat(file).then(
      (s) => s.isFile(),
      () => false,
    );
    if (!isFile) return void res.writeHead(404).end();
    const body = await readFile(file);
    session.bytesSent += body.length;
    muxer.outboundBytes += body.length;
    res.writeHead(200, { "Content-Type": "video/mp2t", "Cache-Control": "no-cache" });
    res.end(body);
  }

  /** Closes inactive sessions (`closed: inactive`) and muxers nobody asked for in `hlsMuxerCloseAfter`. */
  #sweep(): void {
    const now = Date.now();
    const muxerCloseAfterMs =
      GoDuration.toMs(this.#core.liveConf.global.hlsMuxerCloseAfter ?? "60s") || 60_000;
    for (const muxer of this.#core.hlsMuxers.list()) {
      for (const entry of [...muxer.sessions.values()]) {
        if (now - entry.lastRequestMs < this.#closeAfterMs) continue;
        muxer.sessions.delete(entry.secret);
        this.#core.paths.closeConn(entry.conn);
        this.#log.info(
          { session: entry.conn.id },
          `[HLS] [session ${entry.conn.id.slice(0, 8)}] closed: inactive`,
        );
      }
      if (now - muxer.lastRequestMs >= muxerCloseAfterMs) this.#closeMuxer(muxer, "not used anymore");
    }
  }

  #closeMuxer(muxer: HlsMuxer, reason: string): void {
    if (this.#core.hlsMuxers.get(muxer.path) !== muxer) return;
    this.#core.hlsMuxers.delete(muxer.path);
    for (const entry of [...muxer.sessions.values()]) this.#core.paths.closeConn(entry.conn);
    this.#log.info({ path: muxer.path }, `[HLS] [muxer ${muxer.path}] destroyed: ${reason}`);
  }

  /** The stream went away: its muxer (and sessions) close. */
  sourceNotReady(p: RuntimePath): void {
    const m = this.#core.hlsMuxers.get(p.name);
    if (m !== undefined) this.#closeMuxer(m, "terminated");
  }

  pathClosed(p: RuntimePath): void {
    this.sourceNotReady(p);
  }

  stop(): void {
    clearInterval(this.#sweeper);
  }
}
