// Type-only: the contract names the client's types, the implementation lives in
// @mtx-fleet/mediamtx (API/SDK split, as in OpenTelemetry). No runtime import crosses back.
import type { CurrentSnapshot, MediaMtxClient, SnapshotEvent } from "@mtx-fleet/mediamtx";

/**
 * The node's MediaMTX as a plugin sees it: the Control API client (paginating, mapped across
 * versions, errors as `MTX_MEDIAMTX_*`) and the ONE shared snapshot poll. Read the snapshot
 * instead of calling the API on every tick: that poll is what keeps the agent light.
 */
export interface MediaMtxAccess {
  readonly client: MediaMtxClient;
  /** The last good snapshot (null before the first); makes no request. */
  current(): CurrentSnapshot | null;
  /** Snapshot and error events of the shared poll; ends when the plugin stops. */
  subscribe(listener: (event: SnapshotEvent) => void): () => void;
}
