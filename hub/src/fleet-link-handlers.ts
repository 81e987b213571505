import { clone } from "@bufbuild/protobuf";
import { environmentName, TelemetrySchema } from "@mtx-fleet/proto";
import type { FleetService } from "./fleet/fleet-service.ts";
import type { LinkHandlers } from "./link/index.ts";
import type { ReplicaBus } from "./replicas/index.ts";

/**
 * The link server's view of the fleet service: enrolment, node credentials, telemetry and
 * events go to the fleet; liveness comes from the link's heartbeats. `requestFull` asks the
 * agent for a full telemetry when a partial one arrives for a node the hub knows nothing about.
 * With `bus` (hub replicas), liveness and session telemetry are also told to the other
 * replicas, so each shows the same connectivity and streams (events reach them via the store).
 */
export function fleetLinkHandlers(
  fleet: FleetService,
  requestFull: (nodeId: string) => void,
  bus?: Pick<ReplicaBus, "publishSeen" | "publishGone" | "relayTelemetry" | "peers">,
): LinkHandlers {
  const seen = (nodeId: string, atMs: number): void => {
    fleet.markSeen(nodeId, atMs);
    bus?.publishSeen(nodeId, atMs);
  };
  return {
    enrol: async (request) => {
      const { nodeRef, credential } = await fleet.enrol(request.token, {
        agentVersion: request.agentVersion,
        hostname: request.hostname,
      });
      return { node: nodeRef, credential };
    },
    authenticate: async (credential) => fleet.nodeRef(await fleet.authenticateNode(credential)),
    onHello: (node) => fleet.markSeen(node.nodeId),
    onTelemetry: async (node, telemetry) => {
      const { needsFull } = await fleet.ingestTelemetry(node.nodeId, telemetry);
      if (bus !== undefined && bus.peers().length > 0) {
        const relayed = clone(TelemetrySchema, telemetry);
        relayed.node = node;
        bus.relayTelemetry(environmentName(node.environment) ?? "dev", node.nodeId, relayed);
      }
      if (needsFull) requestFull(node.nodeId);
    },
    onEvents: (node, events) => fleet.ingestEvents(node.nodeId, events),
    onSeen: (node, atMs) => seen(node.nodeId, atMs),
    onState: (node, state) => {
      if (state !== "offline") return;
      fleet.markDisconnected(node.nodeId);
      bus?.publishGone(node.nodeId);
    },
    eventsAckedSeq: (node) => fleet.highestEventSeq(node.nodeId),
  };
}
