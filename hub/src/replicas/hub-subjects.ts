// The subjects hub replicas use among themselves (never agents). They live under `mtx-hub.v1`,
// apart from the agents' `mtx.v1` tree, so no agent subject filter or permission covers them:
//
//   mtx-hub.v1.command.<node>   a command for the replica holding the node's link session
//   mtx-hub.v1.presence         "node seen" / "node gone" from the replica holding its session
//   mtx-hub.v1.replicas         each replica says it is alive (the relays run only with peers)
//   mtx-hub.v1.events.<node>    the hub's events stream (store/kv-event-log.ts)
//
// Telemetry that reaches a replica over a link session is relayed on the agent's own telemetry
// subject with the `Mtx-Hub-Replica` header, so every replica ingests it like NATS telemetry.
import { encodeSubjectToken } from "@mtx-fleet/proto";

export const HUB_SUBJECT_ROOT = "mtx-hub.v1";
export const PRESENCE_SUBJECT = `${HUB_SUBJECT_ROOT}.presence`;
export const REPLICAS_SUBJECT = `${HUB_SUBJECT_ROOT}.replicas`;
/** Names the replica that published a relayed message (it skips its own). */
export const HUB_REPLICA_HEADER = "Mtx-Hub-Replica";

/** Where commands for a node go: only the replica holding its session listens. */
export function nodeCommandSubject(nodeId: string): string {
  return `${HUB_SUBJECT_ROOT}.command.${encodeSubjectToken(nodeId)}`;
}
