import type { MtxError } from "@mtx-fleet/plugin-api";
import type { MtxPathDelta } from "./compute-path-deltas.ts";
import type { ConnectionGroupItems, ConnectionGroupName } from "./connection-api.ts";
import type { MtxPath } from "./model.ts";

/** One complete, consistent-as-possible view of a node, taken by one poll. */
export interface MtxSnapshot {
  /** Epoch ms when the poll started. */
  readonly takenAt: number;
  /** How long the poll took. */
  readonly pollDurationMs: number;
  readonly paths: readonly MtxPath[];
  readonly pathsByName: ReadonlyMap<string, MtxPath>;
  /** The connection/session lists that were polled (see `include`). */
  readonly connections: { readonly [K in ConnectionGroupName]?: readonly ConnectionGroupItems[K][] };
  /** Included lists that came back empty because the protocol is disabled or unsupported. */
  readonly disabled: readonly ConnectionGroupName[];
  /** False when some list changed while it was paged through (see `MtxList.consistent`). */
  readonly consistent: boolean;
  /** `takenAt` of the previous good snapshot; null for the first one (and no deltas then). */
  readonly previousTakenAt: number | null;
  /** Per-path counter deltas since the previous good snapshot. */
  readonly deltas: ReadonlyMap<string, MtxPathDelta>;
}

/** The last good snapshot and how fresh it is. */
export interface CurrentSnapshot {
  readonly snapshot: MtxSnapshot;
  readonly takenAt: number;
  readonly ageMs: number;
  /** True after a failed poll, or when the snapshot is older than two intervals. */
  readonly stale: boolean;
  readonly consecutiveFailures: number;
  readonly lastError: MtxError | null;
}

/** What a poll produced. */
export type PollResult =
  | { readonly ok: true; readonly snapshot: MtxSnapshot }
  | { readonly ok: false; readonly error: MtxError; readonly consecutiveFailures: number };

/** Events of the poller. */
export type SnapshotEvent =
  | { readonly type: "snapshot"; readonly snapshot: MtxSnapshot }
  | {
      readonly type: "error";
      readonly error: MtxError;
      readonly consecutiveFailures: number;
      /** The snapshot still served by `current()`. */
      readonly lastGood: MtxSnapshot | null;
    };
