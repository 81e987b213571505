// What the agentless hub-replica e2e tests share: the replicas' config (a short lease TTL) and
// the probes they read a replica through (its log lines and its API).
import type { StartedHub } from "@mtx-fleet/testkit";

interface Page<T> {
  readonly items: T[];
  readonly itemCount: number;
}

export const LEASE_TTL_MS = 3_000;
// Info level: the tests read early log lines, which debug lines would push out of the kept tail.
export const replicaConfig = (natsUrl: string) => ({
  nats: { servers: [natsUrl] },
  agentless: { leaseTtlMs: LEASE_TTL_MS },
  log: { level: "info" },
});

export const leasesTaken = (hub: StartedHub): number =>
  hub.logs().filter((line) => line.msg === "agentless lease taken").length;
export const startsOf = (hub: StartedHub, nodeId: string): number =>
  hub.logs().filter((line) => line.msg === "agentless node started" && line.node === nodeId).length;
export const availableOn = async (hub: StartedHub, nodeId: string): Promise<boolean> => {
  const page = (await hub.request("GET", `/api/v1/streams?node=${nodeId}`)).body as Page<{
    available: boolean;
  }>;
  const node = (await hub.request("GET", `/api/v1/fleet/nodes/${nodeId}`)).body as {
    connectivity?: { state: string };
  };
  return page.itemCount === 1 && page.items[0]?.available === true && node.connectivity?.state === "online";
};

export async function createAgentlessNode(hub: StartedHub, apiUrl: string): Promise<string> {
  const created = await hub.request("POST", "/api/v1/fleet/nodes", {
    name: "remote-r",
    environment: "dev",
    labels: {},
    apiUrl,
  });
  return (created.body as { node: { id: string } }).node.id;
}
