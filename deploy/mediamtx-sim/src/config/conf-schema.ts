import type { MtxVersion } from "../spec/mtx-version.ts";
import { SpecFiles } from "../spec/spec-files.ts";

/** How one config key is decoded and rendered. */
export type Field =
  | { readonly kind: "bool" }
  | { readonly kind: "int"; readonly unsigned: boolean }
  | { readonly kind: "float" }
  | { readonly kind: "string"; readonly enum?: readonly string[] }
  | { readonly kind: "duration" }
  | { readonly kind: "size" }
  | { readonly kind: "ipList" }
  | { readonly kind: "array"; readonly items: Field }
  | {
      readonly kind: "object";
      readonly fields: Readonly<Record<string, FieldEntry>>;
      readonly goName: string;
    };

/** A key of a config object. */
export interface FieldEntry {
  readonly field: Field;
  /** Deprecated keys are only rendered when set. */
  readonly deprecated: boolean;
}

/** The keys of the global and path configuration of one version. */
export interface ConfSchema {
  readonly version: MtxVersion;
  readonly global: Readonly<Record<string, FieldEntry>>;
  readonly path: Readonly<Record<string, FieldEntry>>;
}

const DURATION_KEYS = new Set([
  "readTimeout",
  "writeTimeout",
  "hlsSegmentDuration",
  "hlsPartDuration",
  "hlsMuxerCloseAfter",
  "webrtcHandshakeTimeout",
  "webrtcTrackGatherTimeout",
  "webrtcSTUNGatherTimeout",
  "sourceOnDemandStartTimeout",
  "sourceOnDemandCloseAfter",
  "recordPartDuration",
  "recordSegmentDuration",
  "recordDeleteAfter",
  "runOnDemandStartTimeout",
  "runOnDemandCloseAfter",
  "whepSTUNGatherTimeout",
  "whepHandshakeTimeout",
  "whepTrackGatherTimeout",
]);
const SIZE_KEYS = new Set(["hlsSegmentMaxSize", "recordMaxPartSize"]);
const IP_LIST_KEYS = new Set(["ips", "publishIPs", "readIPs"]);

// Keys the v1.9.3 default yml has but its OpenAPI file forgot.
const V193_EXTRA_GLOBAL: Record<string, Field> = {
  authJWTClaimKey: { kind: "string" },
};

const cache = new Map<MtxVersion, ConfSchema>();

/** Derives the config schema of `version` from its OpenAPI file (plus key-name encodings). */
export function confSchema(version: MtxVersion): ConfSchema {
  let schema = cache.get(version);
  if (schema === undefined) {
    const doc = SpecFiles.openApi(version);
    const schemas = doc.components.schemas;
    const build = (name: string, goName: string): Record<string, FieldEntry> => {
      const obj = toField(schemas[name] ?? {}, schemas, "", goName);
      return obj.kind === "object" ? { ...obj.fields } : {};
    };
    const global = build("GlobalConf", "Conf");
    const path = build("PathConf", "Path");
    if (version === "v1.9.3") {
      for (const [k, f] of Object.entries(V193_EXTRA_GLOBAL)) global[k] ??= { field: f, deprecated: false };
    }
    schema = { version, global, path };
    cache.set(version, schema);
  }
  return schema;
}

type Schemas = Record<string, Record<string, unknown>>;

function resolve(s: Record<string, unknown>, schemas: Schemas): Record<string, unknown> {
  if (typeof s.$ref === "string") return resolve(schemas[s.$ref.split("/").pop() ?? ""] ?? {}, schemas);
  if (Array.isArray(s.allOf) && s.allOf.length === 1) {
    return { ...resolve(s.allOf[0] as Record<string, unknown>, schemas), ...s, allOf: undefined };
  }
  return s;
}

function toField(raw: Record<string, unknown>, schemas: Schemas, key: string, goName: string): Field {
  if (DURATION_KEYS.has(key)) return { kind: "duration" };
  if (SIZE_KEYS.has(key)) return { kind: "size" };
  if (IP_LIST_KEYS.has(key) || key.endsWith("TrustedProxies")) return { kind: "ipList" };
  const s = resolve(raw, schemas);
  switch (s.type) {
    case "boolean":
      return { kind: "bool" };
    case "integer":
      return { kind: "int", unsigned: s.format === "uint64" };
    case "number":
      return { kind: "float" };
    case "array":
      return {
        kind: "array",
        items: toField((s.items ?? {}) as Record<string, unknown>, schemas, "", goName),
      };
    case "object": {
      const fields: Record<string, FieldEntry> = {};
      const refName = typeof raw.$ref === "string" ? (raw.$ref.split("/").pop() ?? goName) : goName;
      for (const [k, v] of Object.entries((s.properties ?? {}) as Record<string, Record<string, unknown>>)) {
        fields[k] = { field: toField(v, schemas, k, refName), deprecated: v.deprecated === true };
      }
      return { kind: "object", fields, goName: refName };
    }
    default:
      return Array.isArray(s.enum) ? { kind: "string", enum: s.enum as string[] } : { kind: "string" };
  }
}
