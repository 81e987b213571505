import type { Conf } from "./conf.ts";
import { ConfBuilder } from "./conf-builder.ts";
import { ConfError } from "./conf-error.ts";
import { confSchema } from "./conf-schema.ts";
import { FieldCodec } from "./field-codec.ts";
import { validateConf } from "./validate-conf.ts";

/** A 404 of a config write (`path not found`). */
export class ConfNotFoundError extends ConfError {}

function withPaths(conf: Conf, paths: Map<string, Readonly<Record<string, unknown>>>): Conf {
  return { ...conf, paths };
}

function checked(conf: Conf): Conf {
  validateConf(conf);
  return conf;
}

/** The Control API's config writes: each returns the new, validated config or throws ConfError. */
export const ConfOps = {
  patchGlobal(conf: Conf, body: unknown): Conf {
    const input = FieldCodec.requireObject(body, "OptionalGlobal");
    const global = { ...conf.global };
    FieldCodec.decodeInto(confSchema(conf.version).global, global, input, "Conf", conf.version);
    return checked({ ...conf, global });
  },

  patchPathDefaults(conf: Conf, body: unknown): Conf {
    const input = { ...FieldCodec.requireObject(body, "OptionalPath") };
    delete input.name;
    const pathDefaults = { ...conf.pathDefaults };
    FieldCodec.decodeInto(confSchema(conf.version).path, pathDefaults, input, "Path", conf.version);
    return checked({ ...conf, pathDefaults });
  },

  addPath(conf: Conf, name: string, body: unknown): Conf {
    const overrides = ConfBuilder.decodeOverrides(conf, body);
    if (conf.paths.has(name)) throw new ConfError("path already exists");
    return checked(withPaths(conf, new Map(conf.paths).set(name, overrides)));
  },

  patchPath(conf: Conf, name: string, body: unknown): Conf {
    const patch = ConfBuilder.decodeOverrides(conf, body);
    const old = conf.paths.get(name);
    if (old === undefined) throw new ConfNotFoundError("path not found");
    return checked(withPaths(conf, new Map(conf.paths).set(name, { ...old, ...patch })));
  },

  /** Upsert: never 404 (trap 6). */
  replacePath(conf: Conf, name: string, body: unknown): Conf {
    const overrides = ConfBuilder.decodeOverrides(conf, body);
    return checked(withPaths(conf, new Map(conf.paths).set(name, overrides)));
  },

  deletePath(conf: Conf, name: string): Conf {
    if (!conf.paths.has(name)) throw new ConfNotFoundError("path not found");
    const paths = new Map(conf.paths);
    paths.delete(name);
    return checked(withPaths(conf, paths));
  },
};
