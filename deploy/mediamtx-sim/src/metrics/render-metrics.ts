import type { Conf } from "../config/conf.ts";
import type { Conn, ConnKind } from "../runtime/conn.ts";
import { connView } from "../runtime/conn-view.ts";
import { hlsMuxerViews } from "../runtime/hls-muxer-views.ts";
import type { SimCore } from "../runtime/sim-core.ts";
import { isModern } from "../spec/mtx-version.ts";

type Labels = Record<string, string>;
const OBJECT_FILTERS = [
  "path",
  "forward_dest",
  "hls_muxer",
  "hls_session",
  "rtsp_conn",
  "rtsp_session",
  "rtsps_conn",
  "rtsps_session",
  "rtmp_conn",
  "rtmps_conn",
  "srt_conn",
  "webrtc_session",
  "moq_session",
] as const;

function line(name: string, labels: Labels | undefined, value: number): string {
  if (labels === undefined) return `${name} ${value}\n`;
  const l = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(",");
  return `${name}{${l}} ${value}\n`;
}

function snake(key: string): string {
  if (key === "byteMSS") return "bytes_mss";
  return key.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
}

interface Family {
  readonly type: string;
  readonly filter: (typeof OBJECT_FILTERS)[number];
  readonly kind?: ConnKind;
  readonly enabled: (g: Readonly<Record<string, unknown>>) => boolean;
}

const rtspEnc = (g: Readonly<Record<string, unknown>>): unknown => g.rtspEncryption ?? g.encryption;
const CONN_FAMILIES: readonly Family[] = [
  {
    type: "rtsp_conns",
    filter: "rtsp_conn",
    kind: "rtspConn",
    enabled: (g) => g.rtsp === true && rtspEnc(g) !== "strict",
  },
  {
    type: "rtsp_sessions",
    filter: "rtsp_session",
    kind: "rtspSession",
    enabled: (g) => g.rtsp === true && rtspEnc(g) !== "strict",
  },
  {
    type: "rtsps_conns",
    filter: "rtsps_conn",
    kind: "rtspsConn",
    enabled: (g) => g.rtsp === true && rtspEnc(g) !== "no",
  },
  {
    type: "rtsps_sessions",
    filter: "rtsps_session",
    kind: "rtspsSession",
    enabled: (g) => g.rtsp === true && rtspEnc(g) !== "no",
  },
  {
    type: "rtmp_conns",
    filter: "rtmp_conn",
    kind: "rtmpConn",
    enabled: (g) => g.rtmp === true && g.rtmpEncryption !== "strict",
  },
  {
    type: "rtmps_conns",
    filter: "rtmps_conn",
    kind: "rtmpsConn",
    enabled: (g) => g.rtmp === true && g.rtmpEncryption !== "no",
  },
  { type: "srt_conns", filter: "srt_conn", kind: "srtConn", enabled: (g) => g.srt === true },
  {
    type: "webrtc_sessions",
    filter: "webrtc_session",
    kind: "webRTCSession",
    enabled: (g) => g.webrtc === true,
  },
  { type: "hls_sessions", filter: "hls_session", kind: "hlsSession", enabled: (g) => g.hls === true },
  { type: "moq_sessions", filter: "moq_session", kind: "moqSession", enabled: (g) => g.moq === true },
];

/** Renders `/metrics` (MediaMTX `internal/metrics/metrics.go`) for the given query. */
export function renderMetrics(core: SimCore, query: URLSearchParams): string {
  const conf: Conf = core.liveConf;
  const modern = isModern(core.version);
  const typeFilter = modern ? query.get("type") : null;
  const objectFilter = modern ? OBJECT_FILTERS.find((f) => query.has(f)) : undefined;
  const wants = (type: string, filter: string): boolean =>
    (typeFilter === null || typeFilter === type) && (objectFilter === undefined || objectFilter === filter);
  const now = Date.now();
  let out = "";
  if (wants("paths", "path")) out += pathMetrics(core, modern, query.get("path"), now);
  if (modern && wants("forward_dests", "forward_dest"))
    out += line("forward_dests", undefined, 0) + line("forward_dests_outbound_bytes", undefined, 0);
  if (conf.global.hls === true && wants("hls_muxers", "hls_muxer")) out += hlsMuxerMetrics(core, modern, now);
  for (const f of CONN_FAMILIES) {
    if (!f.enabled(conf.global) || f.kind === undefined || !wants(f.type, f.filter)) continue;
    if (!modern && (f.kind === "hlsSession" || f.kind === "moqSession")) continue;
    const id = objectFilter === f.filter ? query.get(f.filter) : null;
    out += connMetrics(core, f, modern, id, now);
  }
  return out;
}

function pathMetrics(core: SimCore, modern: boolean, only: string | null, now: number): string {
  const paths = core.paths.list().filter((p) => only === null || p.name === only);
  const fams = modern
    ? [
        "paths",
        "paths_readers",
        "paths_inbound_bytes",
        "paths_outbound_bytes",
        "paths_inbound_frames_in_error",
        "paths_bytes_received",
        "paths_bytes_sent",
      ]
    : ["paths", "paths_bytes_received", "paths_bytes_sent"];
  if (paths.length === 0) return fams.map((f) => line(f, undefined, 0)).join("");
  let out = "";
  for (const p of paths) {
    const labels = { name: p.name, state: p.available ? "ready" : "notReady" };
    const inb = p.inboundBytes(now);
    const outb = p.outboundBytes(now);
    out += line("paths", labels, 1);
    if (modern) {
      const counts = new Map<string, number>();
      for (const r of p.readers.values()) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
      if (counts.size === 0) out += line("paths_readers", { ...labels, readerType: "" }, 0);
      for (const [t, n] of [...counts].sort()) out += line("paths_readers", { ...labels, readerType: t }, n);
      out += line("paths_inbound_bytes", labels, inb);
      out += line("paths_outbound_bytes", labels, outb);
      out += line("paths_inbound_frames_in_error", labels, 0);
    }
    out += line("paths_bytes_received", labels, inb);
    out += line("paths_bytes_sent", labels, outb);
  }
  return out;
}

function hlsMuxerMetrics(core: SimCore, modern: boolean, now: number): string {
  const muxers = hlsMuxerViews(core, now);
  const fams = modern
    ? [
        "hls_muxers",
        "hls_muxers_outbound_bytes",
        "hls_muxers_outbound_frames_discarded",
        "hls_muxers_bytes_sent",
      ]
    : ["hls_muxers", "hls_muxers_bytes_sent"];
  if (muxers.length === 0) return fams.map((f) => line(f, undefined, 0)).join("");
  let out = "";
  for (const m of muxers) {
    const bytes = m.outboundBytes;
    const labels = { name: m.path };
    out += line("hls_muxers", labels, 1);
    if (modern)
      out +=
        line("hls_muxers_outbound_bytes", labels, bytes) +
        line("hls_muxers_outbound_frames_discarded", labels, 0);
    out += line("hls_muxers_bytes_sent", labels, bytes);
  }
  return out;
}

function connLabels(c: Conn, f: Family, modern: boolean): Labels {
  if (f.kind === "rtspConn" || f.kind === "rtspsConn") return { id: c.id };
  if (!modern) return { id: c.id, state: c.state };
  if (f.kind === "hlsSession") return { id: c.id, path: c.path, remoteAddr: c.remoteAddr };
  return { id: c.id, path: c.path, remoteAddr: c.remoteAddr, state: c.state };
}

function connMetrics(core: SimCore, f: Family, modern: boolean, only: string | null, now: number): string {
  const conns = core.registry.list(f.kind as ConnKind).filter((c) => only === null || c.id === only);
  const sample = conns[0];
  const valueKeys = (view: Record<string, unknown>): string[] =>
    Object.keys(view).filter(
      (k) => typeof view[k] === "number" && (modern || !/^(inbound|outbound)/.test(k)),
    );
  if (sample === undefined) {
    const probe = connView(
      {
        ...({} as Conn),
        id: "",
        kind: f.kind as ConnKind,
        createdMs: now,
        remoteAddr: "",
        state: "idle",
        path: "",
        query: "",
        user: "",
        userAgent: "",
        linked: [],
        inbound: { value: () => 0 },
        outbound: { value: () => 0 },
      },
      core.version,
      now,
    );
    return [f.type, ...valueKeys(probe).map((k) => `${f.type}_${snake(k)}`)]
      .map((n) => line(n, undefined, 0))
      .join("");
  }
  let out = "";
  for (const c of conns) {
    const labels = connLabels(c, f, modern);
    const view = connView(c, core.version, now);
    out += line(f.type, labels, 1);
    for (const k of valueKeys(view)) out += line(`${f.type}_${snake(k)}`, labels, view[k] as number);
  }
  return out;
}
