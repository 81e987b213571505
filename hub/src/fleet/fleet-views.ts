import type { StreamVerdict } from "@mtx-fleet/plugin-api";
import type { EnvironmentName, NodeRecord, StreamRecord } from "../store/hub-records.ts";
import type { Connectivity } from "./connectivity-tracker.ts";

/** A node as the API shows it: never a secret (the agentless password only as `hasPassword`). */
export interface NodeView extends Omit<NodeRecord, "agentless"> {
  readonly agentless: {
    readonly apiUrl: string;
    readonly username: string | null;
    readonly hasPassword: boolean;
    readonly rtspUrl: string | null;
  } | null;
  readonly connectivity: { readonly state: Connectivity; readonly lastSeenAt: string | null };
  /** The agent's last reported status (`NodeStatus` as JSON), null before the first telemetry. */
  readonly status: Readonly<Record<string, unknown>> | null;
  /** The agent's last reported host figures (`HostMetrics` as JSON), null when none. */
  readonly host: Readonly<Record<string, unknown>> | null;
}

/**
 * A stream's verdict as the API shows it: the agent's last health verdict while its node is
 * online; "unknown" when the node is not online (the last report is kept in `health`, but
 * nobody knows whether it still holds) or no health was reported. Never shown as "off".
 */
export type StreamStatus = StreamVerdict;

/** Whether a stream has a publisher: "unknown" when the node is not online, never "off". */
export type StreamAvailability = "available" | "unavailable" | "unknown";

export interface StreamView extends StreamRecord {
  readonly status: StreamStatus;
  readonly availability: StreamAvailability;
  readonly nodeName: string;
  readonly environment: EnvironmentName;
}

/** Filters of `FleetService.listNodes`. */
export interface NodeFilter {
  readonly environment?: EnvironmentName;
  /** Every label must match exactly. */
  readonly labels?: Readonly<Record<string, string>>;
}

/** Filters of `FleetService.listStreams`. */
export interface StreamFilter {
  readonly nodeId?: string;
  readonly environment?: EnvironmentName;
  readonly status?: StreamStatus;
  readonly availability?: StreamAvailability;
}
