import type { ParseResult } from "./durable-json-adapter.ts";

/** The current on-disk format of the local store file. */
export const STORE_DOCUMENT_VERSION = 1;

type JsonObject = Record<string, unknown>;

/**
 * The local store file: `data` belongs to the agent itself, `namespaces[name]` to one plugin
 * (or subsystem), so a plugin never sees or clobbers another's keys.
 */
export interface StoreDocument {
  readonly version: typeof STORE_DOCUMENT_VERSION;
  readonly data: JsonObject;
  readonly namespaces: Readonly<Record<string, JsonObject>>;
}

export const EMPTY_STORE_DOCUMENT: StoreDocument = {
  version: STORE_DOCUMENT_VERSION,
  data: {},
  namespaces: {},
};

/** Checks the shape of a parsed store file. */
export function validateStoreDocument(json: unknown): ParseResult<StoreDocument> {
  if (!isObject(json)) return { kind: "corrupt", reason: "not a JSON object" };
  if (typeof json.version === "number" && json.version > STORE_DOCUMENT_VERSION) {
    return {
      kind: "unsupported",
      reason: `version ${json.version} was written by a newer mtx-agent (this one reads ${STORE_DOCUMENT_VERSION})`,
    };
  }
  if (json.version !== STORE_DOCUMENT_VERSION) return { kind: "corrupt", reason: "version is missing" };
  if (!isObject(json.data)) return { kind: "corrupt", reason: "data is not an object" };
  if (!isObject(json.namespaces) || !Object.values(json.namespaces).every(isObject)) {
    return { kind: "corrupt", reason: "namespaces is not an object of objects" };
  }
  return {
    kind: "ok",
    value: {
      version: STORE_DOCUMENT_VERSION,
      data: json.data,
      namespaces: json.namespaces as Record<string, JsonObject>,
    },
  };
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
