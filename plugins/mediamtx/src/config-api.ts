import type { CallOptions, ClientCore, ListOptions } from "./client-core.ts";
import { encodePathName } from "./encode-path-name.ts";
import type { MtxList } from "./model.ts";
import { pathConfFromWire, pathConfToWire } from "./path-conf-names.ts";
import { ShapeReader } from "./shape-reader.ts";
import type { GlobalConf, PathConf } from "./wire-types.ts";

/** A path configuration as read: merged view (pathDefaults + overrides), current hook names. */
export type MtxPathConf = Readonly<PathConf> & { readonly name: string };

/** The global configuration as read (no `pathDefaults`, no `paths`). */
export type MtxGlobalConf = Readonly<GlobalConf>;

/** Config reads and writes. Writes are in memory only on the node (CONTRACT §0.1). */
export interface ConfigApi {
  readonly global: {
    get(options?: CallOptions): Promise<MtxGlobalConf>;
    patch(body: Readonly<GlobalConf>, options?: CallOptions): Promise<void>;
  };
  readonly pathDefaults: {
    get(options?: CallOptions): Promise<Readonly<PathConf>>;
    patch(body: Readonly<PathConf>, options?: CallOptions): Promise<void>;
  };
  readonly pathConfigs: {
    list(options?: ListOptions): Promise<MtxList<MtxPathConf>>;
    get(name: string, options?: CallOptions): Promise<MtxPathConf>;
    /** 400 (INVALID_CONFIG) `path already exists` when the name exists. */
    add(name: string, body: Readonly<PathConf>, options?: CallOptions): Promise<void>;
    /** Merges keys into the stored overrides; `null` means "leave unchanged". */
    patch(name: string, body: Readonly<PathConf>, options?: CallOptions): Promise<void>;
    /** Upsert: stored overrides := body. The only way to drop an override. */
    replace(name: string, body: Readonly<PathConf>, options?: CallOptions): Promise<void>;
    delete(name: string, options?: CallOptions): Promise<void>;
  };
}

function normaliseGlobal(raw: unknown, where: string): MtxGlobalConf {
  return { ...new ShapeReader(raw, where).raw } as MtxGlobalConf;
}

function normaliseDefaults(raw: unknown, where: string): Readonly<PathConf> {
  return pathConfFromWire(new ShapeReader(raw, where).raw) as PathConf;
}

function normalisePathConf(raw: unknown, where: string): MtxPathConf {
  const r = new ShapeReader(raw, where);
  r.string("name");
  return pathConfFromWire(r.raw) as MtxPathConf;
}

/** The config method groups. */
export function createConfigApi(core: ClientCore): ConfigApi {
  const pathWrite = async (
    method: "POST" | "PATCH",
    op: string,
    name: string | null,
    body: Readonly<PathConf>,
    options: CallOptions,
  ) => {
    const route = name === null ? `/v3/config/${op}` : `/v3/config/paths/${op}/${encodePathName(name)}`;
    core.refuseRedacted(method, route, body); // before any request, detection included
    const { features } = await core.serverInfo(options);
    await core.write({ method, route, body: pathConfToWire(body, features), signal: options.signal });
  };
  return {
    global: {
      get: (options) => core.read("/v3/config/global/get", normaliseGlobal, options),
      patch: (body, options = {}) =>
        core.write({ method: "PATCH", route: "/v3/config/global/patch", body, signal: options.signal }),
    },
    pathDefaults: {
      get: (options) => core.read("/v3/config/pathdefaults/get", normaliseDefaults, options),
      patch: (body, options = {}) => pathWrite("PATCH", "pathdefaults/patch", null, body, options),
    },
    pathConfigs: {
      list: (options) =>
        core.list(
          { route: "/v3/config/paths/list", normalise: normalisePathConf, key: (c) => c.name },
          options,
        ),
      get: (name, options) =>
        core.read(`/v3/config/paths/get/${encodePathName(name)}`, normalisePathConf, options),
      add: (name, body, options = {}) => pathWrite("POST", "add", name, body, options),
      patch: (name, body, options = {}) => pathWrite("PATCH", "patch", name, body, options),
      replace: (name, body, options = {}) => pathWrite("POST", "replace", name, body, options),
      delete: (name, options = {}) =>
        core.write({
          method: "DELETE",
          route: `/v3/config/paths/delete/${encodePathName(name)}`,
          signal: options.signal,
        }),
    },
  };
}
