import { TcpListener } from "../util/tcp-listener.ts";
import { RtmpConn, type RtmpConnDeps } from "./rtmp-conn.ts";

/** MediaMTX's RTMP listener (`rtmp: yes`, `rtmpAddress`); rebinds when the address changes. */
export class RtmpServer extends TcpListener {
  constructor(deps: RtmpConnDeps) {
    super({
      scheme: "rtmp",
      label: "RTMP",
      log: deps.log,
      serve: (socket) => new RtmpConn(socket, deps).run(),
      awaitConnectionsOnClose: false,
    });
  }
}
