import { createSocket, type Socket } from "node:dgram";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FlvHub } from "../flv/flv-hub.ts";
import { FlvParser } from "../flv/flv-tag.ts";
import type { Logger } from "../log/create-logger.ts";
import { type ProcessGroup, spawnGroup, stopGroup } from "../media/spawn-group.ts";

const FFMPEG_KILL_AFTER_MS = 2_000;

function bind(port: number): Promise<Socket | undefined> {
  return new Promise((resolve) => {
    const s = createSocket("udp4");
    s.once("error", () => resolve(undefined));
    s.bind(port, "127.0.0.1", () => resolve(s));
  });
}

/** An even UDP port whose successor is free too (ffmpeg listens on RTP port and RTP port + 1). */
async function freePortPair(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const first = await bind(0);
    if (first === undefined) continue;
    const p = first.address().port;
    first.close();
    const even = p % 2 === 0 ? p : p + 1;
    const a = await bind(even);
    const b = await bind(even + 1);
    a?.close();
    b?.close();
    if (a !== undefined && b !== undefined) return even;
  }
  throw new Error("no free UDP port pair");
}

/**
 * The media of an RTSP publisher: the interleaved RTP/RTCP it sends go to local UDP ports of
 * an `ffmpeg -i <sdp> -c copy -f flv pipe:1`, whose tags fill an FLV hub (the same stream
 * form as an RTMP publisher, so HLS, readers and the recorder are shared).
 */
export class RtpIn {
  readonly hub = new FlvHub();
  readonly #ports: number[] = [];
  readonly #out: Socket = createSocket("udp4");
  #ffmpeg: ProcessGroup | undefined;
  #dir = "";
  #closing: Promise<void> | undefined;

  /** `sdp` is the ANNOUNCEd description; one port pair per media section. */
  async start(sdp: string, log: Logger): Promise<void> {
    this.#out.on("error", (e) => log.debug({ err: String(e) }, "RTP relay send failed"));
    const sections = sdp.split(/\r?\n(?=m=)/);
    const lines: string[] = [];
    for (const [i, section] of sections.entries()) {
      let text = section;
      if (i > 0) {
        const port = await freePortPair();
        this.#ports.push(port);
        text = text.replace(/^m=(\S+) \d+/, `m=$1 ${port}`);
      }
      for (const l of text.split(/\r?\n/)) {
        if (l.startsWith("c=") || l.startsWith("a=control") || l.trim() === "") continue;
        lines.push(l);
        if (l.startsWith("s=") || l.startsWith("m=")) lines.push("c=IN IP4 127.0.0.1");
      }
    }
    this.#dir = await mkdtemp(join(tmpdir(), "mtx-sim-rtpin-"));
    const file = join(this.#dir, "in.sdp");
    await writeFile(file, `${lines.join("\n")}\n`);
    const args = ["-hide_banner", "-loglevel", "error", "-protocol_whitelist", "file,udp,rtp"];
    args.push("-analyzeduration", "1000000", "-i", file, "-c", "copy", "-f", "flv", "pipe:1");
    const group = spawnGroup("ffmpeg", args, {
      logger: log,
      logFields: { component: "rtsp-publish" },
      pipes: { stdout: true },
    });
    this.#ffmpeg = group;
    const parser = new FlvParser();
    group.stdout?.on("data", (chunk: Buffer) => {
      try {
        for (const tag of parser.push(chunk)) this.hub.push(tag);
      } catch (e) {
        log.warn({ err: String(e) }, "bad FLV from the RTSP remuxer");
      }
    });
    void group.exited.then(() => this.hub.end());
  }

  /** Media sections announced. */
  get trackCount(): number {
    return this.#ports.length;
  }

  /** An interleaved frame of track `track` (RTCP when `rtcp`). */
  send(track: number, rtcp: boolean, payload: Buffer): void {
    const port = this.#ports[track];
    if (port !== undefined && this.#closing === undefined)
      this.#out.send(payload, port + (rtcp ? 1 : 0), "127.0.0.1");
  }

  /** Stops ffmpeg; idempotent (the path's media and the connection both close it). */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    this.#out.close();
    this.hub.end();
    if (this.#ffmpeg !== undefined) await stopGroup(this.#ffmpeg, { killAfterMs: FFMPEG_KILL_AFTER_MS });
    if (this.#dir !== "") await rm(this.#dir, { recursive: true, force: true });
  }
}
