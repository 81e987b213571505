import type { CallOptions, ClientCore, ListOptions } from "./client-core.ts";
import { deepFreeze } from "./deep-freeze.ts";
import { encodePathName } from "./encode-path-name.ts";
import type { MtxForwardDest, MtxHlsMuxer, MtxList, MtxPath, MtxRecording } from "./model.ts";
import { normaliseForwardDest, normaliseHlsMuxer, normaliseRecording } from "./normalise-misc.ts";
import { normalisePath } from "./normalise-path.ts";

/** Runtime paths, HLS muxers, recordings and forward destinations. */
export interface RuntimeApi {
  readonly paths: {
    list(options?: ListOptions): Promise<MtxList<MtxPath>>;
    /** Runtime name (`cam/7`); NOT_FOUND when the path is not instantiated right now. */
    get(name: string, options?: CallOptions): Promise<MtxPath>;
  };
  readonly hlsMuxers: {
    list(options?: ListOptions): Promise<MtxList<MtxHlsMuxer>>;
    get(name: string, options?: CallOptions): Promise<MtxHlsMuxer>;
  };
  readonly recordings: {
    list(options?: ListOptions): Promise<MtxList<MtxRecording>>;
    /** `segments: []` when nothing is recorded; BAD_REQUEST when no config matches `name`. */
    get(name: string, options?: CallOptions): Promise<MtxRecording>;
    /** `start` must be passed back exactly as `recordings.get` gave it (same offset and fraction). */
    deleteSegment(path: string, start: string, options?: CallOptions): Promise<void>;
  };
  /** Native forward destinations (v1.20+; UNSUPPORTED before). */
  readonly forward: {
    list(path: string, options?: CallOptions): Promise<MtxList<MtxForwardDest>>;
    get(path: string, id: string, options?: CallOptions): Promise<MtxForwardDest>;
  };
}

/** The runtime method groups. */
export function createRuntimeApi(core: ClientCore): RuntimeApi {
  const hls = { plainNotFound: "MTX_MEDIAMTX_PROTOCOL_DISABLED" } as const;
  return {
    paths: {
      list: (options) =>
        core.list({ route: "/v3/paths/list", normalise: normalisePath, key: (p) => p.name }, options),
      get: (name, options) => core.read(`/v3/paths/get/${encodePathName(name)}`, normalisePath, options),
    },
    hlsMuxers: {
      list: (options) =>
        core.list(
          { route: "/v3/hlsmuxers/list", normalise: normaliseHlsMuxer, key: (m) => m.path, ...hls },
          options,
        ),
      get: (name, options) =>
        protocolRead(core, `/v3/hlsmuxers/get/${encodePathName(name)}`, normaliseHlsMuxer, options),
    },
    recordings: {
      list: (options) =>
        core.list(
          { route: "/v3/recordings/list", normalise: normaliseRecording, key: (r) => r.name },
          options,
        ),
      get: (name, options) =>
        core.read(`/v3/recordings/get/${encodePathName(name)}`, normaliseRecording, options),
      deleteSegment: (path, start, options = {}) =>
        core.act({
          method: "DELETE",
          route: "/v3/recordings/deletesegment",
          // URLSearchParams turns the `+` of a UTC offset into %2B and `/` into %2F.
          query: { path, start },
          signal: options.signal,
        }),
    },
    forward: {
      async list(path, options = {}) {
        await core.requireFeature("forward", "listing forward destinations", options);
        return core.list(
          {
            route: "/v3/paths/forward/list",
            query: { path },
            normalise: normaliseForwardDest,
            key: (f) => f.id,
          },
          options,
        );
      },
      async get(path, id, options = {}) {
        await core.requireFeature("forward", "reading a forward destination", options);
        const raw = await core.send({
          method: "GET",
          route: "/v3/paths/forward/get",
          query: { path, id },
          kind: "read",
          signal: options.signal,
        });
        return deepFreeze(normaliseForwardDest(raw, "GET /v3/paths/forward/get"));
      },
    },
  };
}

/** A GET on a protocol server's route: a plain-text 404 means the server is disabled. */
export async function protocolRead<T>(
  core: ClientCore,
  route: string,
  normalise: (raw: unknown, where: string) => T,
  options: CallOptions = {},
): Promise<T> {
  const raw = await core.send({
    method: "GET",
    route,
    kind: "read",
    plainNotFound: "MTX_MEDIAMTX_PROTOCOL_DISABLED",
    signal: options.signal,
  });
  return deepFreeze(normalise(raw, `GET ${route}`));
}
