import type { Amf0Object, Amf0Value } from "./amf0.ts";
import { MSG } from "./chunk-stream.ts";
import type { RtmpTransport } from "./rtmp-transport.ts";

/** What a client asked for once `publish` or `play` arrived. */
export interface RtmpAction {
  readonly publish: boolean;
  /** MediaMTX's path name: the URL path of tcUrl + "/" + stream key, without the leading slash. */
  readonly pathName: string;
  /** The raw query (after `?`), e.g. `user=a&pass=b`. */
  readonly rawQuery: string;
  /** `flashVer` of the connect command (the API's `userAgent`). */
  readonly flashVer: string;
}

const USER_CONTROL_STREAM_BEGIN = 0;
const USER_CONTROL_STREAM_IS_RECORDED = 4;
const STATUS_CSID = 5;
const MEDIA_STREAM_ID = 1;
/** Values gortmplib's server sends in AcceptConn. */
const WINDOW_ACK_SIZE = 2_500_000;
const PEER_BANDWIDTH = 2_500_000;
const OUT_CHUNK_SIZE = 65_536;

function asObject(v: Amf0Value): Amf0Object | undefined {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? v : undefined;
}

/** gortmplib's `joinURL` + MediaMTX's path/query split. */
export function actionTarget(tcUrl: string, streamKey: string): { pathName: string; rawQuery: string } {
  const joined = streamKey !== "" && !streamKey.startsWith("?") ? `${tcUrl}/${streamKey}` : tcUrl + streamKey;
  let url: URL;
  try {
    url = new URL(joined);
  } catch {
    throw new Error(`invalid URL: ${joined}`);
  }
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    path = url.pathname;
  }
  return { pathName: path.replace(/^\/+/, ""), rawQuery: url.search.replace(/^\?/, "") };
}

/**
 * The server side of the RTMP session set-up, like gortmplib's ServerConn: handshake,
 * `connect`, then commands until `publish` or `play`; then accept or reject that action.
 */
export class RtmpHandshakeSession {
  readonly #t: RtmpTransport;
  #action: RtmpAction | undefined;
  #actionTxn = 0;

  constructor(transport: RtmpTransport) {
    this.#t = transport;
  }

  /** Runs until the client sent `publish` or `play`. */
  async negotiate(): Promise<RtmpAction> {
    await this.#t.serverHandshake();
    const connect = await this.#t.readCommand();
    if (connect.name !== "connect") throw new Error(`unexpected command: ${connect.name}`);
    const obj = asObject(connect.args[0] ?? null);
    const app = obj?.app;
    let tcUrl = obj?.tcUrl ?? obj?.tcurl;
    if (typeof app !== "string" || typeof tcUrl !== "string") throw new Error("invalid connect command");
    tcUrl = tcUrl.replace(/^'+|'+$/g, "");
    const flashVer = typeof obj?.flashVer === "string" ? obj.flashVer : "";
    this.#t.writeControl(MSG.windowAckSize, WINDOW_ACK_SIZE);
    this.#t.writeControl(MSG.setPeerBandwidth, PEER_BANDWIDTH, 2);
    this.#t.writeControl(MSG.setChunkSize, OUT_CHUNK_SIZE);
    this.#t.writeCommand(connect.chunkStreamId, 0, "_result", connect.transactionId, [
      { fmsVer: "LNX 9,0,124,2", capabilities: 31 },
      {
        level: "status",
        code: "NetConnection.Connect.Success",
        description: "Connection succeeded.",
        objectEncoding: 0,
      },
    ]);
    for (;;) {
      const cmd = await this.#t.readCommand();
      if (cmd.name === "createStream") {
        this.#t.writeCommand(cmd.chunkStreamId, cmd.streamId, "_result", cmd.transactionId, [
          null,
          MEDIA_STREAM_ID,
        ]);
        continue;
      }
      if (cmd.name !== "publish" && cmd.name !== "play") continue; // releaseStream, FCPublish, ...: no reply
      const key = cmd.args[1];
      if (typeof key !== "string") throw new Error(`invalid ${cmd.name} command arguments`);
      this.#actionTxn = cmd.transactionId;
      this.#action = { publish: cmd.name === "publish", ...actionTarget(tcUrl, key), flashVer };
      return this.#action;
    }
  }

  #status(code: string, description: string, level = "status"): void {
    this.#t.writeCommand(STATUS_CSID, MEDIA_STREAM_ID, "onStatus", this.#actionTxn, [
      null,
      { level, code, description },
    ]);
  }

  acceptAction(): void {
    if (this.#action?.publish === true) {
      this.#status("NetStream.Publish.Start", "publish start");
      return;
    }
    this.#t.writeUserControl(USER_CONTROL_STREAM_IS_RECORDED, MEDIA_STREAM_ID);
    this.#t.writeUserControl(USER_CONTROL_STREAM_BEGIN, MEDIA_STREAM_ID);
    this.#status("NetStream.Play.Reset", "play reset");
    this.#status("NetStream.Play.Start", "play start");
    this.#status("NetStream.Data.Start", "data start");
    this.#status("NetStream.Play.PublishNotify", "publish notify");
  }

  /** Authentication failed (MediaMTX sends this only for auth errors). */
  rejectAction(): void {
    const publish = this.#action?.publish === true;
    this.#status(
      publish ? "NetStream.Publish.Unauthorized" : "NetStream.Play.Failed",
      "authentication failed",
      "error",
    );
  }
}
