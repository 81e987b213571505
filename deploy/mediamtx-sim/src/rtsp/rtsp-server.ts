import { TcpListener } from "../util/tcp-listener.ts";
import { RtspConn, type RtspConnDeps } from "./rtsp-conn.ts";

/** MediaMTX's RTSP listener (`rtsp: yes`, `rtspAddress`, TCP only); rebinds when the address changes. */
export class RtspServer extends TcpListener {
  constructor(deps: RtspConnDeps) {
    super({
      scheme: "rtsp",
      label: "RTSP",
      log: deps.log,
      serve: (socket) => new RtspConn(socket, deps).run(),
      // Its connections own ffmpeg processes: closing waits for them to stop.
      awaitConnectionsOnClose: true,
    });
  }
}
