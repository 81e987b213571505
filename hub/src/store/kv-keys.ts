/** The KV bucket every hub replica shares (stream `KV_mtx-hub`). */
export const HUB_KV_BUCKET = "mtx-hub";

/** The kinds of record in the bucket; a key is `<kind>.<id>`. */
export const HUB_RECORD_KINDS = ["node", "enrol", "cred", "user", "token", "meta"] as const;
export type HubRecordKind = (typeof HUB_RECORD_KINDS)[number];

// Ids that are already safe KV key tokens (UUIDs, base64url hashes) stay readable in
// `nats kv ls`; anything else (a user name with spaces, say) is base64url under `x.`.
const PLAIN_ID = /^[A-Za-z0-9_-]{1,256}$/;
const KINDS = new Set<string>(HUB_RECORD_KINDS);

/** The KV key of a record. */
export function hubKvKey(kind: HubRecordKind, id: string): string {
  return PLAIN_ID.test(id) ? `${kind}.${id}` : `${kind}.x.${Buffer.from(id, "utf8").toString("base64url")}`;
}

/** The kind and id a KV key names; undefined for keys this hub does not write. */
export function parseHubKvKey(key: string): { kind: HubRecordKind; id: string } | undefined {
  const dot = key.indexOf(".");
  const kind = key.slice(0, dot);
  if (dot < 0 || !KINDS.has(kind)) return undefined;
  const rest = key.slice(dot + 1);
  const id = rest.startsWith("x.") ? Buffer.from(rest.slice(2), "base64url").toString("utf8") : rest;
  return { kind: kind as HubRecordKind, id };
}
