import type { MtxVersion } from "../spec/mtx-version.ts";
import { ByteSize } from "./byte-size.ts";
import { ConfError } from "./conf-error.ts";
import type { Field, FieldEntry } from "./conf-schema.ts";
import { GoDuration } from "./go-duration.ts";
import { IpNetwork } from "./ip-network.ts";

function jsonKind(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  return typeof v === "object" ? "object" : typeof v;
}

function goType(f: Field): string {
  switch (f.kind) {
    case "bool":
      return "bool";
    case "int":
      return f.unsigned ? "uint" : "int";
    case "float":
      return "float64";
    case "string":
    case "duration":
    case "size":
      return "string";
    case "ipList":
    case "array":
      return "[]string";
    case "object":
      return `conf.${f.goName}`;
  }
}

/** Decodes config values the way MediaMTX's jsonwrapper does, into their rendered (GET) form. */
export const FieldCodec = {
  /** The rendered zero value of a field. */
  zero(f: Field, version: MtxVersion): unknown {
    switch (f.kind) {
      case "bool":
        return false;
      case "int":
      case "float":
        return 0;
      case "string":
        return "";
      case "duration":
        return version === "v1.9.3" ? "0s" : "";
      case "size":
        return "0B";
      case "ipList":
      case "array":
        return [];
      case "object":
        return FieldCodec.zeroObject(f.fields, version);
    }
  },

  zeroObject(fields: Readonly<Record<string, FieldEntry>>, version: MtxVersion): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, e] of Object.entries(fields))
      if (!e.deprecated) out[k] = FieldCodec.zero(e.field, version);
    return out;
  },

  /** Decodes `value` of key `key` (of Go struct `owner`); throws ConfError with Go's wording. */
  decode(f: Field, value: unknown, key: string, owner: string, version: MtxVersion): unknown {
    const mismatch = (): ConfError =>
      new ConfError(
        `json: cannot unmarshal ${jsonKind(value)} into Go struct field ${owner}.${key} of type ${goType(f)}`,
      );
    switch (f.kind) {
      case "bool":
        if (typeof value !== "boolean") throw mismatch();
        return value;
      case "int":
        if (typeof value !== "number" || !Number.isInteger(value) || (f.unsigned && value < 0))
          throw mismatch();
        return value;
      case "float":
        if (typeof value !== "number") throw mismatch();
        return value;
      case "string":
        if (typeof value !== "string") throw mismatch();
        if (f.enum !== undefined && !f.enum.includes(value))
          throw new ConfError(`invalid ${key}: '${value}'`);
        return value;
      case "duration": {
        if (typeof value === "number")
          return GoDuration.formatConf(BigInt(value) * 1_000_000_000n, version !== "v1.9.3");
        if (typeof value !== "string") throw mismatch();
        try {
          const ns = version === "v1.9.3" ? GoDuration.parse(value) : GoDuration.parseConf(value);
          return GoDuration.formatConf(ns, version !== "v1.9.3");
        } catch (e) {
          throw new ConfError((e as Error).message);
        }
      }
      case "size":
        if (typeof value !== "string") throw mismatch();
        try {
          return ByteSize.format(ByteSize.parse(value));
        } catch (e) {
          throw new ConfError((e as Error).message);
        }
      case "ipList":
        if (!Array.isArray(value)) throw mismatch();
        return value.map((v) => {
          if (typeof v !== "string") throw mismatch();
          try {
            return IpNetwork.normalise(v);
          } catch (e) {
            throw new ConfError((e as Error).message);
          }
        });
      case "array":
        if (!Array.isArray(value)) throw mismatch();
        return value.map((v) =>
          v === null ? FieldCodec.zero(f.items, version) : FieldCodec.decode(f.items, v, key, owner, version),
        );
      case "object": {
        if (jsonKind(value) !== "object") throw mismatch();
        const out = FieldCodec.zeroObject(f.fields, version);
        FieldCodec.decodeInto(f.fields, out, value as Record<string, unknown>, f.goName, version);
        return out;
      }
    }
  },

  /**
   * Merges the keys of `input` into `target`: unknown keys are rejected, `null` leaves a key
   * unchanged, a given slice replaces the whole slice.
   */
  decodeInto(
    fields: Readonly<Record<string, FieldEntry>>,
    target: Record<string, unknown>,
    input: Record<string, unknown>,
    owner: string,
    version: MtxVersion,
  ): void {
    for (const [key, value] of Object.entries(input)) {
      const entry = fields[key];
      if (entry === undefined) throw new ConfError(`json: unknown field "${key}"`);
      if (value === null) continue;
      target[key] = FieldCodec.decode(entry.field, value, key, owner, version);
    }
  },

  /** Throws Go's message unless `value` is a JSON object. */
  requireObject(value: unknown, goName: string): Record<string, unknown> {
    if (jsonKind(value) !== "object") {
      throw new ConfError(`json: cannot unmarshal ${jsonKind(value)} into Go value of type conf.${goName}`);
    }
    return value as Record<string, unknown>;
  },
};
