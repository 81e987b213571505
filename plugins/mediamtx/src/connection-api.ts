import { MtxError } from "@mtx-fleet/plugin-api";
import type { CallOptions, ClientCore, ListOptions } from "./client-core.ts";
import { emptyDisabledList } from "./client-core.ts";
import type { MediaMtxFeatures } from "./features.ts";
import type {
  MtxHlsSession,
  MtxList,
  MtxMoqSession,
  MtxRtmpConn,
  MtxRtspConn,
  MtxRtspSession,
  MtxSrtConn,
  MtxWebRtcSession,
} from "./model.ts";
import { type MtxConnectionType, normaliseConnection } from "./normalise-connection.ts";
import { protocolRead } from "./runtime-api.ts";

/** Every connection/session endpoint group: route, object type, kick, first version. */
export const CONNECTION_ENDPOINTS = {
  rtspConns: { route: "rtspconns", type: "rtspConn", kick: false, feature: null },
  rtspSessions: { route: "rtspsessions", type: "rtspSession", kick: true, feature: null },
  rtspsConns: { route: "rtspsconns", type: "rtspsConn", kick: false, feature: null },
  rtspsSessions: { route: "rtspssessions", type: "rtspsSession", kick: true, feature: null },
  rtmpConns: { route: "rtmpconns", type: "rtmpConn", kick: true, feature: null },
  rtmpsConns: { route: "rtmpsconns", type: "rtmpsConn", kick: true, feature: null },
  srtConns: { route: "srtconns", type: "srtConn", kick: true, feature: null },
  webrtcSessions: { route: "webrtcsessions", type: "webRTCSession", kick: true, feature: null },
  hlsSessions: { route: "hlssessions", type: "hlsSession", kick: true, feature: "hlsSessions" },
  moqSessions: { route: "moqsessions", type: "moqSession", kick: true, feature: "moq" },
} as const satisfies Record<
  string,
  { route: string; type: MtxConnectionType; kick: boolean; feature: keyof MediaMtxFeatures | null }
>;

/** Name of a connection/session group (`rtspSessions`, `srtConns`, ...). */
export type ConnectionGroupName = keyof typeof CONNECTION_ENDPOINTS;

/** The normalised object of each group. */
export interface ConnectionGroupItems {
  readonly rtspConns: MtxRtspConn;
  readonly rtspSessions: MtxRtspSession;
  readonly rtspsConns: MtxRtspConn;
  readonly rtspsSessions: MtxRtspSession;
  readonly rtmpConns: MtxRtmpConn;
  readonly rtmpsConns: MtxRtmpConn;
  readonly srtConns: MtxSrtConn;
  readonly webrtcSessions: MtxWebRtcSession;
  readonly hlsSessions: MtxHlsSession;
  readonly moqSessions: MtxMoqSession;
}

/** list/get (and kick where MediaMTX has it) of one group. */
export type ConnectionGroup<K extends ConnectionGroupName> = {
  /** PROTOCOL_DISABLED when the server is off (or `disabledAsEmpty`); UNSUPPORTED on too old a node. */
  list(options?: ListOptions): Promise<MtxList<ConnectionGroupItems[K]>>;
  get(id: string, options?: CallOptions): Promise<ConnectionGroupItems[K]>;
} & ((typeof CONNECTION_ENDPOINTS)[K]["kick"] extends true
  ? {
      /** Closes the client's connection; nothing stops it from reconnecting. */
      kick(id: string, options?: CallOptions): Promise<void>;
    }
  : Record<never, never>);

/** Every connection/session group. */
export type ConnectionApi = { readonly [K in ConnectionGroupName]: ConnectionGroup<K> };

/** The connection/session method groups. */
export function createConnectionApi(core: ClientCore): ConnectionApi {
  const groups = Object.fromEntries(
    (Object.keys(CONNECTION_ENDPOINTS) as ConnectionGroupName[]).map((name) => [
      name,
      createGroup(core, name),
    ]),
  );
  return groups as unknown as ConnectionApi;
}

function createGroup(core: ClientCore, name: ConnectionGroupName) {
  const spec: (typeof CONNECTION_ENDPOINTS)[ConnectionGroupName] = CONNECTION_ENDPOINTS[name];
  const base = `/v3/${spec.route}`;
  const normalise = (raw: unknown, where: string) => normaliseConnection(spec.type, raw, where);
  const requireVersion = async (what: string, options: CallOptions) => {
    if (spec.feature !== null) await core.requireFeature(spec.feature, `${what} ${name}`, options);
  };
  const group = {
    async list(options: ListOptions = {}) {
      try {
        await requireVersion("listing", options);
      } catch (e) {
        if (options.disabledAsEmpty === true && MtxError.is(e, "MTX_MEDIAMTX_UNSUPPORTED"))
          return emptyDisabledList();
        throw e;
      }
      return core.list(
        {
          route: `${base}/list`,
          normalise,
          key: (c) => c.id,
          plainNotFound: "MTX_MEDIAMTX_PROTOCOL_DISABLED",
        },
        options,
      );
    },
    async get(id: string, options: CallOptions = {}) {
      await requireVersion("reading", options);
      return protocolRead(core, `${base}/get/${encodeURIComponent(id)}`, normalise, options);
    },
    async kick(id: string, options: CallOptions = {}) {
      await requireVersion("kicking from", options);
      await core.act({
        method: "POST",
        route: `${base}/kick/${encodeURIComponent(id)}`,
        plainNotFound: "MTX_MEDIAMTX_PROTOCOL_DISABLED",
        signal: options.signal,
      });
    },
  };
  if (!spec.kick) return { list: group.list, get: group.get };
  return group;
}
