import { parse } from "yaml";
import type { MtxVersion } from "../spec/mtx-version.ts";
import { SpecFiles } from "../spec/spec-files.ts";
import type { Conf } from "./conf.ts";
import { ConfError } from "./conf-error.ts";
import { confSchema } from "./conf-schema.ts";
import { envOverrides } from "./env-overrides.ts";
import { FieldCodec } from "./field-codec.ts";
import { validateConf } from "./validate-conf.ts";

/** What a bare `mediamtx-sim` (no file) changes on top of MediaMTX's defaults. */
const SIM_DEFAULTS: Record<string, unknown> = {
  api: true,
  apiAddress: "127.0.0.1:9997",
  metrics: true,
  metricsAddress: "127.0.0.1:9998",
  playback: true,
  playbackAddress: "127.0.0.1:9996",
  hls: true,
  hlsAddress: "127.0.0.1:8888",
  rtmp: true,
  rtmpAddress: "127.0.0.1:1935",
  rtsp: true,
  rtspAddress: "127.0.0.1:8554",
};

/** Builds configurations: MediaMTX's built-in defaults, and a yml file on top of them. */
export const ConfBuilder = {
  /** MediaMTX's defaults (the default mediamtx.yml of `version`); `sim` adds the bare-run servers. */
  defaults(version: MtxVersion, options: { sim?: boolean } = {}): Conf {
    const yml = { ...SpecFiles.defaultYml(version) };
    if (options.sim === true) Object.assign(yml, SIM_DEFAULTS);
    return ConfBuilder.apply(ConfBuilder.empty(version), yml);
  },

  /** A config with zero values everywhere and no paths (the base the yml is decoded onto). */
  empty(version: MtxVersion): Conf {
    const schema = confSchema(version);
    return {
      version,
      global: FieldCodec.zeroObject(schema.global, version),
      pathDefaults: { ...FieldCodec.zeroObject(schema.path, version), name: "" },
      paths: new Map(),
    };
  },

  /** Parses a mediamtx.yml text onto the defaults and validates it; throws ConfError. */
  fromYaml(text: string, version: MtxVersion, env: NodeJS.ProcessEnv = {}): Conf {
    let doc: unknown;
    try {
      doc = parse(text, { version: "1.1", uniqueKeys: true }) ?? {};
    } catch (e) {
      throw new ConfError(`yaml: ${(e as Error).message.split("\n")[0]}`);
    }
    // Built-in defaults have no paths: `all_others` exists only because the default yml lists it.
    const base = { ...ConfBuilder.defaults(version), paths: new Map() };
    const withEnv = envOverrides(FieldCodec.requireObject(doc, "Conf"), confSchema(version), env);
    const conf = ConfBuilder.apply(base, withEnv);
    validateConf(conf);
    return conf;
  },

  /** Applies a whole-file object (global keys, `pathDefaults`, `paths`) onto `base`. */
  apply(base: Conf, doc: Record<string, unknown>): Conf {
    const schema = confSchema(base.version);
    const { pathDefaults, paths, ...globalInput } = doc;
    const global = { ...base.global };
    FieldCodec.decodeInto(schema.global, global, globalInput, "Conf", base.version);
    const defaults = { ...base.pathDefaults };
    if (pathDefaults !== undefined && pathDefaults !== null) {
      const input = { ...FieldCodec.requireObject(pathDefaults, "Path") };
      delete input.name;
      FieldCodec.decodeInto(schema.path, defaults, input, "Path", base.version);
    }
    let pathMap = base.paths;
    if (paths !== undefined && paths !== null) {
      const parsed = new Map<string, Readonly<Record<string, unknown>>>();
      for (const [name, value] of Object.entries(FieldCodec.requireObject(paths, "Paths"))) {
        parsed.set(name, ConfBuilder.decodeOverrides(base, value ?? {}));
      }
      pathMap = parsed;
    }
    return { version: base.version, global, pathDefaults: defaults, paths: pathMap };
  },

  /** Decodes a partial path object into stored overrides (only the keys given, `null` skipped). */
  decodeOverrides(base: Conf, value: unknown): Record<string, unknown> {
    const input = { ...FieldCodec.requireObject(value, "Path") };
    delete input.name;
    const out: Record<string, unknown> = {};
    FieldCodec.decodeInto(confSchema(base.version).path, out, input, "Path", base.version);
    return out;
  },
};
