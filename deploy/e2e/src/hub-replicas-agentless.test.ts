// Agentless nodes with hub replicas: each runs on exactly one replica (a lease in NATS KV) and
// moves to the other when its replica stops. Real nats-server, simulator and hubs.
import { startHub, startNatsServer, startSimulator, waitFor } from "@mtx-fleet/testkit";
import { describe, expect, it } from "vitest";
import {
  availableOn,
  createAgentlessNode,
  LEASE_TTL_MS,
  leasesTaken,
  replicaConfig,
  startsOf,
} from "./agentless-replicas-stack.ts";

describe("agentless nodes with two hub replicas", () => {
  it("runs the node on one replica only and moves it when that replica stops", async () => {
    await using nats = await startNatsServer();
    await using sim = await startSimulator({ config: { paths: { "cam/1": {} } } });
    await sim.control.publish("cam/1", "synthetic");
    const config = replicaConfig(nats.url);
    await using a = await startHub({ config });
    await using b = await startHub({ config });
    const nodeId = await createAgentlessNode(a, sim.apiUrl);

    // Both replicas show it; one runs it.
    for (const hub of [a, b])
      await waitFor(
        () => availableOn(hub, nodeId),
        (ok) => ok,
        20_000,
      );
    const owner = startsOf(a, nodeId) === 1 ? a : b;
    const other = owner === a ? b : a;
    // Past a whole TTL (so the lease was renewed, not just taken) it still ran once, on the owner.
    await new Promise((resolve) => setTimeout(resolve, LEASE_TTL_MS + 1_000));
    expect([startsOf(owner, nodeId), startsOf(other, nodeId), leasesTaken(other)]).toEqual([1, 0, 0]);

    // The owner stops (releasing its lease): the other replica takes the node over.
    await owner.stop();
    await waitFor(
      async () => startsOf(other, nodeId),
      (n) => n === 1,
      15_000,
    );
    await waitFor(
      () => availableOn(other, nodeId),
      (ok) => ok,
      20_000,
    );
  }, 55_000);
});
