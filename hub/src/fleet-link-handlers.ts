import type { FleetService } from "./fleet/fleet-service.ts";
import type { LinkHandlers } from "./link/index.ts";

/**
 * The link server's view of the fleet service: enrolment, node credentials, telemetry and
 * events go to the fleet; liveness comes from the link's heartbeats. `requestFull` asks the
 * agent for a full telemetry when a partial one arrives for a node the hub knows nothing about.
 */
export function fleetLinkHandlers(fleet: FleetService, requestFull: (nodeId: string) => void): LinkHandlers {
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
      if (needsFull) requestFull(node.nodeId);
    },
    onEvents: (node, events) => fleet.ingestEvents(node.nodeId, events),
    onSeen: (node, atMs) => fleet.markSeen(node.nodeId, atMs),
    onState: (node, state) => {
      if (state === "offline") fleet.markDisconnected(node.nodeId);
    },
    eventsAckedSeq: (node) => fleet.highestEventSeq(node.nodeId),
  };
}
