import type { ExitStatus } from "./process-group.ts";

/** Why a worker was stopped (not: why it exited by itself). */
export type StopReason =
  /** Its stream stayed away for the whole grace period. */
  | "grace"
  /** Its stream went away while it was waiting to be restarted. */
  | "released"
  /** Its rule, forwarder or destination was removed or changed. */
  | "config"
  /** An operator asked for a restart. */
  | "restart"
  /** The plugin or the agent is stopping. */
  | "shutdown";

/** How a worker's process ended, with how long it ran. */
export interface ExitInfo extends ExitStatus {
  readonly at: number;
  readonly runMs: number;
}

/**
 * Where a worker is. `grace` keeps the process running after its stream went away, so a
 * publisher that comes back within the grace finds the same worker (same pid); `backoff` has no
 * process and waits to restart one; `stopping` has sent the stop signal to the group.
 */
export type WorkerState =
  | { readonly kind: "starting"; readonly since: number }
  | { readonly kind: "running"; readonly since: number; readonly pid: number }
  | { readonly kind: "grace"; readonly since: number; readonly pid: number; readonly stopAt: number }
  | {
      readonly kind: "backoff";
      readonly since: number;
      readonly retryAt: number;
      readonly lastExit: ExitInfo | null;
      readonly error: string | null;
    }
  | { readonly kind: "stopping"; readonly since: number; readonly pid: number; readonly reason: StopReason }
  | {
      readonly kind: "stopped";
      readonly since: number;
      readonly reason: StopReason | "exited" | null;
      readonly lastExit: ExitInfo | null;
    };

/** The state names, e.g. for a gauge per state. */
export type WorkerStateKind = WorkerState["kind"];

/** The pid of the worker's process group while it has one. */
export function pidOf(state: WorkerState): number | null {
  switch (state.kind) {
    case "running":
    case "grace":
    case "stopping":
      return state.pid;
    case "starting":
    case "backoff":
    case "stopped":
      return null;
    default:
      return state satisfies never;
  }
}
