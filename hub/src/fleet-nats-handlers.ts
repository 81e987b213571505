import type { FleetService } from "./fleet/fleet-service.ts";
import type { NatsIngestHandlers } from "./nats/index.ts";

/**
 * NATS ingest into the fleet service. The node id comes from the subject; events are stored
 * by id (a replay is a no-op), telemetry is latest-wins.
 */
export function fleetNatsHandlers(
  fleet: FleetService,
  requestFull: (nodeId: string) => void,
): NatsIngestHandlers {
  return {
    onEvents: async (nodeId, events) => {
      await fleet.ingestEvents(nodeId, events);
    },
    onTelemetry: async (nodeId, telemetry) => {
      const { needsFull } = await fleet.ingestTelemetry(nodeId, telemetry);
      if (needsFull) requestFull(nodeId);
    },
  };
}
