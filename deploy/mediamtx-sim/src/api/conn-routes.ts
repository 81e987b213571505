import type { Conf } from "../config/conf.ts";
import type { ConnKind } from "../runtime/conn.ts";
import { connView } from "../runtime/conn-view.ts";
import { hlsMuxerViews } from "../runtime/hls-muxer-views.ts";
import type { SimCore } from "../runtime/sim-core.ts";
import { isModern } from "../spec/mtx-version.ts";
import { goTime } from "../util/go-time.ts";
import { Reply } from "./api-reply.ts";
import { confFailure } from "./config-routes.ts";
import { paginate } from "./paginate.ts";
import { uuidError } from "./parse-uuid.ts";
import type { Route } from "./route.ts";

interface Group {
  readonly prefix: string;
  readonly kind: ConnKind;
  readonly kick: boolean;
  readonly notFound: string;
  readonly enabled: (c: Readonly<Record<string, unknown>>) => boolean;
  readonly modernOnly?: boolean;
}

const rtspEnc = (g: Readonly<Record<string, unknown>>): unknown => g.rtspEncryption ?? g.encryption;
const GROUPS: readonly Group[] = [
  {
    prefix: "rtspconns",
    kind: "rtspConn",
    kick: false,
    notFound: "connection not found",
    enabled: (g) => g.rtsp === true && rtspEnc(g) !== "strict",
  },
  {
    prefix: "rtspsessions",
    kind: "rtspSession",
    kick: true,
    notFound: "session not found",
    enabled: (g) => g.rtsp === true && rtspEnc(g) !== "strict",
  },
  {
    prefix: "rtspsconns",
    kind: "rtspsConn",
    kick: false,
    notFound: "connection not found",
    enabled: (g) => g.rtsp === true && rtspEnc(g) !== "no",
  },
  {
    prefix: "rtspssessions",
    kind: "rtspsSession",
    kick: true,
    notFound: "session not found",
    enabled: (g) => g.rtsp === true && rtspEnc(g) !== "no",
  },
  {
    prefix: "rtmpconns",
    kind: "rtmpConn",
    kick: true,
    notFound: "connection not found",
    enabled: (g) => g.rtmp === true && g.rtmpEncryption !== "strict",
  },
  {
    prefix: "rtmpsconns",
    kind: "rtmpsConn",
    kick: true,
    notFound: "connection not found",
    enabled: (g) => g.rtmp === true && g.rtmpEncryption !== "no",
  },
  {
    prefix: "srtconns",
    kind: "srtConn",
    kick: true,
    notFound: "connection not found",
    enabled: (g) => g.srt === true,
  },
  {
    prefix: "webrtcsessions",
    kind: "webRTCSession",
    kick: true,
    notFound: "session not found",
    enabled: (g) => g.webrtc === true,
  },
  {
    prefix: "hlssessions",
    kind: "hlsSession",
    kick: true,
    notFound: "session not found",
    enabled: (g) => g.hls === true,
    modernOnly: true,
  },
  {
    prefix: "moqsessions",
    kind: "moqSession",
    kick: true,
    notFound: "session not found",
    enabled: (g) => g.moq === true,
    modernOnly: true,
  },
];

/** Connection/session routes of every protocol server, plus `/v3/hlsmuxers/*`. */
export function connRoutes(core: SimCore): Route[] {
  const v = core.version;
  const routes: Route[] = [];
  for (const g of GROUPS) {
    if (g.modernOnly === true && !isModern(v)) continue;
    const enabled = (conf: Conf): boolean => g.enabled(conf.global);
    const base = `/v3/${g.prefix}`;
    const byId = (id: string) => {
      const bad = uuidError(id);
      if (bad !== undefined) return { error: Reply.error(400, bad) };
      const c = core.registry.get(id);
      return c === undefined || c.kind !== g.kind ? { error: Reply.error(404, g.notFound) } : { conn: c };
    };
    routes.push(
      {
        method: "GET",
        op: `${base}/list`,
        prefix: `${base}/list`,
        param: "none",
        enabled,
        handle: (req) => {
          try {
            const now = Date.now();
            const page = paginate(core.registry.list(g.kind), req.query);
            return Reply.json({ ...page, items: page.items.map((c) => connView(c, v, now)) });
          } catch (e) {
            return confFailure(e);
          }
        },
      },
      {
        method: "GET",
        op: `${base}/get/{id}`,
        prefix: `${base}/get/`,
        param: "segment",
        enabled,
        handle: (req) => {
          const r = byId(req.param);
          return r.conn === undefined ? r.error : Reply.json(connView(r.conn, v, Date.now()));
        },
      },
    );
    if (g.kick) {
      routes.push({
        method: "POST",
        op: `${base}/kick/{id}`,
        prefix: `${base}/kick/`,
        param: "segment",
        enabled,
        handle: (req) => {
          const r = byId(req.param);
          if (r.conn === undefined) return r.error;
          core.paths.kick(r.conn.id);
          return Reply.ok();
        },
      });
    }
  }
  routes.push(...hlsMuxerRoutes(core));
  return routes;
}

function hlsMuxerRoutes(core: SimCore): Route[] {
  const v = core.version;
  const enabled = (conf: Conf): boolean => conf.global.hls === true;
  const muxers = (): Array<Record<string, unknown>> => {
    const now = Date.now();
    return hlsMuxerViews(core, now).map((m) => {
      const common = {
        path: m.path,
        created: goTime(m.createdMs),
        lastRequest: goTime(m.lastRequestMs),
        bytesSent: m.outboundBytes,
      };
      return isModern(v) ? { ...common, outboundBytes: m.outboundBytes, outboundFramesDiscarded: 0 } : common;
    });
  };
  return [
    {
      method: "GET",
      op: "/v3/hlsmuxers/list",
      prefix: "/v3/hlsmuxers/list",
      param: "none",
      enabled,
      handle: (req) => {
        try {
          return Reply.json(paginate(muxers(), req.query));
        } catch (e) {
          return confFailure(e);
        }
      },
    },
    {
      method: "GET",
      op: "/v3/hlsmuxers/get/{name}",
      prefix: "/v3/hlsmuxers/get/",
      param: "catchall",
      enabled,
      handle: (req) => {
        const m = muxers().find((x) => x.path === req.param);
        return m === undefined ? Reply.error(404, "muxer not found") : Reply.json(m);
      },
    },
  ];
}
