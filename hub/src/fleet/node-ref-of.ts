import { create } from "@bufbuild/protobuf";
import { Environment, type NodeRef, NodeRefSchema } from "@mtx-fleet/proto";
import type { EnvironmentName, NodeRecord } from "../store/hub-records.ts";

const PROTO_ENVIRONMENT = {
  dev: Environment.DEV,
  staging: Environment.STAGING,
  prod: Environment.PROD,
} as const satisfies Record<EnvironmentName, Environment>;

/** The proto reference of a node (for Welcome, EnrolResponse and NATS subjects). */
export function nodeRefOf(node: NodeRecord): NodeRef {
  return create(NodeRefSchema, {
    nodeId: node.id,
    name: node.name,
    environment: PROTO_ENVIRONMENT[node.environment],
    labels: { ...node.labels },
  });
}
