/** How ffmpeg should open a probe's input. */
export interface InputArgsOptions {
  readonly userAgent: string;
  /** Socket I/O timeout: a silent server fails the read (with a message) before the hard kill. */
  readonly ioTimeoutMs: number;
  /** `-http_proxy` for http(s) inputs (the egress proxy of a policy-checked probe). */
  readonly httpProxyUrl?: string;
}

/**
 * Protocols a reader may open, per input scheme: an HLS playlist cannot make ffmpeg read
 * `file:` or other local protocols (`crypto` is AES-128 HLS; `httpproxy` the proxy tunnel).
 */
const PROTOCOLS: Readonly<Record<string, string>> = {
  rtsp: "rtsp,rtsps,tcp,tls,udp,rtp",
  rtsps: "rtsp,rtsps,tcp,tls,udp,rtp",
  rtmp: "rtmp,rtmps,tcp,tls",
  rtmps: "rtmp,rtmps,tcp,tls",
  http: "http,https,tls,tcp,crypto,httpproxy",
  https: "http,https,tls,tcp,crypto,httpproxy",
  srt: "srt,udp",
};

/** The scheme of a URL, lower case, without `:`. */
export function schemeOf(url: string): string {
  return (/^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1] ?? "").toLowerCase();
}

/**
 * ffmpeg input options (placed before `-i`) for reading `url`: RTSP over TCP (no UDP ports to
 * open, works through NAT and firewalls, and is what MediaMTX serves every reader), a socket
 * timeout in the option each protocol understands, the user agent where the protocol has one
 * (HTTP/HLS, RTSP; RTMP's flashVer) so the node can tell probe reads from viewers, and the protocol
 * allow-list.
 */
export function inputArgs(url: string, options: InputArgsOptions): string[] {
  const scheme = schemeOf(url);
  const timeoutUs = String(Math.max(1, Math.round(options.ioTimeoutMs * 1000)));
  const args: string[] = [];
  const protocols = PROTOCOLS[scheme];
  if (protocols !== undefined) args.push("-protocol_whitelist", protocols);
  switch (scheme) {
    case "rtsp":
    case "rtsps":
      args.push("-rtsp_transport", "tcp", "-timeout", timeoutUs, "-user_agent", options.userAgent);
      break;
    case "http":
    case "https":
      args.push("-rw_timeout", timeoutUs, "-user_agent", options.userAgent);
      if (options.httpProxyUrl !== undefined) args.push("-http_proxy", options.httpProxyUrl);
      break;
    case "rtmp":
    case "rtmps":
      // RTMP has no user agent; MediaMTX shows the connect's flashVer as the conn's userAgent.
      args.push("-rw_timeout", timeoutUs, "-rtmp_flashver", options.userAgent);
      break;
    default:
      args.push("-rw_timeout", timeoutUs);
  }
  return args;
}

/**
 * ffmpeg's environment: the caller's, without proxy variables (ffmpeg reads `http_proxy` and
 * `no_proxy` itself), so reads of the local MediaMTX go straight to it and outside reads only
 * through the egress proxy we pass.
 */
export function toolEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) {
    if (!/^(https?|no|all|ftp)_proxy$/i.test(name)) out[name] = value;
  }
  return out;
}
