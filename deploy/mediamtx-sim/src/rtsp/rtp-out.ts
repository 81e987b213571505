import { createSocket, type Socket } from "node:dgram";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { feedToStdin } from "../flv/feed-to-stdin.ts";
import type { FlvFeed } from "../flv/flv-hub.ts";
import type { Logger } from "../log/create-logger.ts";
import { type ProcessGroup, spawnGroup, stopGroup } from "../media/spawn-group.ts";

const SDP_WAIT_MS = 10_000;
const FFMPEG_KILL_AFTER_MS = 2_000;
/** RTP packets kept before PLAY (the stream from the last key frame on). */
const MAX_QUEUED_PACKETS = 5_000;

/** One packet of a track: `rtcp` false for RTP. */
export type RtpSink = (track: number, rtcp: boolean, packet: Buffer) => void;

function bindLoopback(): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = createSocket("udp4");
    s.once("error", reject);
    s.bind(0, "127.0.0.1", () => resolve(s));
  });
}

/**
 * The RTP of a path for one RTSP reader: an `ffmpeg -f flv -i pipe:0 -c copy -f rtp` per track
 * sends the path's stream to local UDP sockets, and its `-sdp_file` is the DESCRIBE answer
 * (so no RTP packetisation here). Packets wait in a queue until `play`.
 */
export class RtpOut {
  readonly #sockets: Array<{ rtp: Socket; rtcp: Socket }> = [];
  #ffmpeg: ProcessGroup | undefined;
  #detach: () => void = () => {};
  #dir = "";
  #sink: RtpSink | undefined;
  readonly #queue: Array<[number, boolean, Buffer]> = [];
  #closed = false;

  /** Starts ffmpeg on `feed` and resolves with its SDP (tracks: video first, then audio). */
  async start(feed: FlvFeed, log: Logger): Promise<string> {
    const kinds = [...(feed.hasVideo ? ["v"] : []), ...(feed.hasAudio ? ["a"] : [])];
    if (kinds.length === 0) throw new Error("the stream has no tracks");
    this.#dir = await mkdtemp(join(tmpdir(), "mtx-sim-rtp-"));
    const args = ["-hide_banner", "-loglevel", "error", "-fflags", "+genpts", "-f", "flv", "-i", "pipe:0"];
    for (const [i, kind] of kinds.entries()) {
      const pair = { rtp: await bindLoopback(), rtcp: await bindLoopback() };
      this.#sockets.push(pair);
      pair.rtp.on("message", (m) => this.#packet(i, false, m));
      pair.rtcp.on("message", (m) => this.#packet(i, true, m));
      const port = (s: Socket) => s.address().port;
      args.push("-map", `0:${kind}`, "-c", "copy", "-f", "rtp", "-payload_type", String(96 + i));
      args.push(`rtp://127.0.0.1:${port(pair.rtp)}?rtcpport=${port(pair.rtcp)}&pkt_size=1400`);
    }
    const sdpFile = join(this.#dir, "out.sdp");
    args.push("-sdp_file", sdpFile);
    const group = spawnGroup("ffmpeg", args, {
      logger: log,
      logFields: { component: "rtsp-read" },
      pipes: { stdin: true },
    });
    this.#ffmpeg = group;
    if (group.stdin !== null) {
      group.stdin.on("error", () => {});
      this.#detach = feedToStdin(feed, group.stdin);
    }
    const deadline = Date.now() + SDP_WAIT_MS;
    for (;;) {
      const sdp = await readFile(sdpFile, "utf8").catch(() => "");
      if (/^m=/m.test(sdp) && sdp.trimEnd().split("\n").length > 3) return sdp;
      if (this.#closed || Date.now() > deadline) throw new Error("the stream did not start");
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  #packet(track: number, rtcp: boolean, packet: Buffer): void {
    if (this.#sink !== undefined) this.#sink(track, rtcp, packet);
    else if (this.#queue.length < MAX_QUEUED_PACKETS) this.#queue.push([track, rtcp, packet]);
  }

  /** Delivers the queued packets, then the live ones, to `sink`. */
  play(sink: RtpSink): void {
    for (const [t, r, p] of this.#queue.splice(0)) sink(t, r, p);
    this.#sink = sink;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#sink = undefined;
    this.#detach();
    for (const s of this.#sockets) {
      s.rtp.close();
      s.rtcp.close();
    }
    if (this.#ffmpeg !== undefined) await stopGroup(this.#ffmpeg, { killAfterMs: FFMPEG_KILL_AFTER_MS });
    if (this.#dir !== "") await rm(this.#dir, { recursive: true, force: true });
  }
}

/**
 * The SDP MediaMTX answers DESCRIBE with, from ffmpeg's: no address, port 0, a `control`
 * attribute per track (`trackID=N`).
 */
export function describeSdp(ffmpegSdp: string): string {
  const out: string[] = ["v=0", "o=- 0 0 IN IP4 127.0.0.1", "s=Stream", "c=IN IP4 0.0.0.0", "t=0 0"];
  let track = -1;
  for (const raw of ffmpegSdp.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith("m=")) {
      track++;
      out.push(line.replace(/^(m=\S+) \d+/, "$1 0"), `a=control:trackID=${track}`);
    } else if (track >= 0 && line.startsWith("a=") && !line.startsWith("a=control")) out.push(line);
  }
  return `${out.join("\r\n")}\r\n`;
}
