import type { MtxError } from "@mtx-fleet/plugin-api";
import type { RestartPolicy } from "./backoff-delay.ts";
import type { ExitInfo, StopReason, WorkerState } from "./worker-state.ts";

/** What caused a start: the hook (or snapshot) that said the stream is ready. */
export interface StartTrigger {
  readonly hookId: string | null;
  /** When the stream became ready at its source (the hook's `occurredAt`), epoch ms. */
  readonly occurredAt: number;
  readonly origin: "hook" | "spool" | "synthesized" | "snapshot";
}

/** How to run the worker, taken at each (re)start so the latest stream values apply. */
export interface WorkerLaunch {
  /** May throw `MTX_WORKER_FAILED` (a value that would inject an argument). */
  render(): { readonly argv: readonly string[]; readonly env: Readonly<Record<string, string>> };
  /** Applied to the argv and every output line before they are logged (secrets in URLs). */
  readonly redact: (text: string) => string;
  readonly trigger: StartTrigger | null;
}

/** Why a process was started. */
export type StartCause = "ready" | "backoff" | "operator";

/** The fixed facts of one supervised worker. */
export interface WorkerSpec {
  readonly id: string;
  readonly kind: "worker" | "forwarder";
  /** The rule or forwarder name. */
  readonly name: string;
  readonly path: string;
  readonly streamId: string | null;
  /** The destination, redacted (forwarders only). */
  readonly destination: string | null;
  readonly restart: RestartPolicy;
  readonly stopSignal: NodeJS.Signals;
  readonly stopTimeoutMs: number;
}

/** What happened to a worker, for the journal and metrics. */
export type WorkerEvent =
  | {
      readonly type: "started";
      readonly pid: number;
      readonly restarts: number;
      readonly cause: StartCause;
      readonly argv: readonly string[];
      readonly trigger: StartTrigger | null;
    }
  | {
      readonly type: "exited";
      readonly pid: number;
      readonly exit: ExitInfo;
      readonly restartInMs: number | null;
    }
  | { readonly type: "spawn-failed"; readonly error: MtxError; readonly restartInMs: number | null }
  | {
      readonly type: "stopped";
      readonly pid: number;
      readonly reason: StopReason;
      readonly exit: ExitInfo;
      readonly forced: boolean;
    }
  | { readonly type: "state"; readonly state: WorkerState };

/** What the local API shows of a worker. */
export interface WorkerStatus {
  readonly id: string;
  readonly kind: WorkerSpec["kind"];
  readonly name: string;
  readonly path: string;
  readonly streamId: string | null;
  readonly destination: string | null;
  readonly state: WorkerState["kind"];
  readonly pid: number | null;
  readonly restarts: number;
  readonly since: number;
  readonly lastExit: ExitInfo | null;
}
