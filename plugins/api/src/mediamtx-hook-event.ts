/**
 * The MediaMTX hooks the agent receives, by the meaning MediaMTX gives them. `ready` covers
 * `runOnReady` and `runOnAvailable` (the same moment under its old and new name), `not-ready`
 * covers `runOnNotReady` and `runOnUnavailable`.
 */
export const MEDIAMTX_HOOKS = [
  "ready",
  "not-ready",
  "online",
  "offline",
  "read",
  "unread",
  "record-segment-create",
  "record-segment-complete",
  "connect",
  "disconnect",
  "demand",
  "undemand",
] as const;
/** See `MEDIAMTX_HOOKS`. */
export type MediaMtxHook = (typeof MEDIAMTX_HOOKS)[number];

/**
 * One hook as plugins see it on the bus (`mediamtx.hook`), after the agent stored it in its
 * outbox. Values are MediaMTX's, carried byte for byte (never interpreted by a shell); fields a
 * hook does not have are null.
 */
export interface MediaMtxHookEvent {
  /** The outbox event id (stable across the wrapper's retries and spool replays). */
  readonly id: string;
  readonly hook: MediaMtxHook;
  /** `MTX_PATH`; null for connect/disconnect. */
  readonly path: string | null;
  /** `MTX_QUERY`, already unescaped where MediaMTX escaped it (≥ v1.18.1). */
  readonly query: string | null;
  readonly sourceType: string | null;
  readonly sourceId: string | null;
  readonly readerType: string | null;
  readonly readerId: string | null;
  readonly connType: string | null;
  readonly connId: string | null;
  readonly segmentPath: string | null;
  readonly segmentDurationSeconds: number | null;
  /**
   * The hook's variables (`MTX_*`, `RTSP_PORT`, `G1`…) as MediaMTX passed them (`MTX_QUERY`
   * still escaped); synthesised events have the ones the snapshot knows.
   */
  readonly env: Readonly<Record<string, string>>;
  /**
   * Variables whose bytes are not valid UTF-8: base64 of the exact bytes (such a name is not in
   * `env`; the parsed fields above hold it decoded with U+FFFD). Absent when there are none.
   */
  readonly envBase64?: Readonly<Record<string, string>>;
  /** Epoch ms when the hook ran (the wrapper's clock), not when the agent got it. */
  readonly occurredAt: number;
  /**
   * `hook`: MediaMTX ran it and it reached the agent; `spool`: it was spooled while the agent
   * was down and replayed; `synthesized`: the agent inferred it from the API snapshot because
   * the hook never came (see reconciliation).
   */
  readonly origin: "hook" | "spool" | "synthesized";
}
