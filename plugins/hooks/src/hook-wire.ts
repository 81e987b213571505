// The JSON the wrapper POSTs (and spools), shared by the wrapper and the receiver. No imports
// beyond types: the wrapper loads this module on every hook.
import type { MediaMtxHook } from "@mtx-fleet/plugin-api";

/**
 * The hook names `mtx-hook` accepts: `MEDIAMTX_HOOKS` of the plugin API, copied because loading
 * that package's runtime (TypeBox, ajv) costs the wrapper ~230 ms per hook; a test keeps the
 * two lists equal and the type keeps every entry a `MediaMtxHook`.
 */
export const WRAPPER_HOOKS = [
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
] as const satisfies readonly MediaMtxHook[];

/** True when `name` is a hook the agent knows. */
export function isHookName(name: string): name is MediaMtxHook {
  return (WRAPPER_HOOKS as readonly string[]).includes(name);
}

/** Event fields and the MediaMTX variable each one comes from (CONTRACT §4.2). */
export const HOOK_FIELD_VARS = {
  path: "MTX_PATH",
  query: "MTX_QUERY",
  sourceType: "MTX_SOURCE_TYPE",
  sourceId: "MTX_SOURCE_ID",
  readerType: "MTX_READER_TYPE",
  readerId: "MTX_READER_ID",
  connType: "MTX_CONN_TYPE",
  connId: "MTX_CONN_ID",
  segmentPath: "MTX_SEGMENT_PATH",
  segmentDuration: "MTX_SEGMENT_DURATION",
} as const;

/** A field of the wire body that carries one variable. */
export type HookField = keyof typeof HOOK_FIELD_VARS;

/**
 * The variables the wrapper forwards: those MediaMTX sets for hooks (CONTRACT §4.2) and the
 * regex capture groups `G1`, `G2`… An allow-list on purpose: the hook inherits MediaMTX's whole
 * environment, including `MTX_*` config overrides that may hold passwords, and none of that may
 * reach the hub. A variable a newer MediaMTX adds is forwarded with `mtx-hook --var NAME`.
 */
export const HOOK_VARIABLES: readonly string[] = [
  ...Object.values(HOOK_FIELD_VARS),
  "RTSP_PORT",
  "RTSP_PATH",
];
export const CAPTURE_GROUP_VARIABLE = /^G[1-9][0-9]{0,2}$/;

/**
 * `POST /v1/mediamtx/events/<hook>`. Every field is optional: a plain client may send just
 * `{path, query, sourceType, sourceId}` (the seed contract); the wrapper also sends `id`,
 * `occurredAt` and the variables themselves. A field left out is taken from `env`.
 */
export type HookWireBody = {
  /** Stable across the wrapper's retries and spool replays (a UUID); the outbox event id. */
  readonly id?: string;
  /** Must match the route when given (spool files carry it). */
  readonly hook?: MediaMtxHook;
  /** Epoch ms when the hook ran. */
  readonly occurredAt?: number;
  /**
   * Each variable as MediaMTX passed it (values that are valid UTF-8). `MTX_QUERY` is as
   * MediaMTX gave it, i.e. URL-escaped once more on MediaMTX ≥ v1.18.1.
   */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Variables whose bytes are not valid UTF-8 (JSON strings cannot hold them): base64 of the
   * exact bytes. A name is in `env` or here, never in both.
   */
  readonly envBase64?: Readonly<Record<string, string>>;
} & { readonly [F in HookField]?: string | null };

/** A spooled event: one file per event in the spool directory. */
export interface SpoolFile {
  readonly version: 1;
  /** Epoch ms when the wrapper wrote it. */
  readonly spooledAt: number;
  /** Why it was not delivered (for the operator reading the file). */
  readonly reason: string;
  readonly event: HookWireBody & {
    readonly id: string;
    readonly hook: MediaMtxHook;
    readonly occurredAt: number;
  };
}

/**
 * Spool file names sort by time (`<occurredAt, 15 digits>-<id>.json`), so a drain replays events
 * in the order they happened. Temp files start with a dot and never match.
 */
export const SPOOL_FILE_PATTERN = /^\d{15}-[A-Za-z0-9-]{1,64}\.json$/;

/** The file name of a spooled event. */
export function spoolFileName(occurredAt: number, id: string): string {
  return `${String(occurredAt).padStart(15, "0")}-${id}.json`;
}
