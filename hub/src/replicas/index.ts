// Hub replicas on one NATS: commands routed to the replica holding a node's session,
// liveness and telemetry shared, agentless nodes leased to one replica at a time.
export { HUB_REPLICA_HEADER, nodeCommandSubject, PRESENCE_SUBJECT } from "./hub-subjects.ts";
export {
  type PresenceMessage,
  type ReplicaBus,
  type ReplicaBusFleet,
  type ReplicaBusOptions,
  startReplicaBus,
} from "./replica-bus.ts";
