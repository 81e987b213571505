/**
 * The fleet-wide id of a stream: base64url of `<nodeId>/<pathName>`. It is stable (same node
 * and path, same id, across restarts and hub replicas, with nothing stored), URL-safe, and
 * reversible, so a bad id is told from an unknown one. Path renames give a new id.
 */
export function streamIdFor(nodeId: string, pathName: string): string {
  return Buffer.from(`${nodeId}/${pathName}`, "utf8").toString("base64url");
}

const STREAM_ID_PATTERN = /^[A-Za-z0-9_-]+$/;

/** The node id and path name inside a stream id, or undefined when `id` is not one. */
export function parseStreamId(id: string): { nodeId: string; pathName: string } | undefined {
  if (!STREAM_ID_PATTERN.test(id)) return undefined;
  const text = Buffer.from(id, "base64url").toString("utf8");
  const slash = text.indexOf("/");
  if (slash <= 0 || slash === text.length - 1) return undefined;
  const parsed = { nodeId: text.slice(0, slash), pathName: text.slice(slash + 1) };
  // Non-canonical base64url (or invalid UTF-8) decodes to something that does not round-trip.
  return streamIdFor(parsed.nodeId, parsed.pathName) === id ? parsed : undefined;
}
