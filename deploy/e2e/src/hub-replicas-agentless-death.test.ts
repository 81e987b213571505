// Agentless nodes with hub replicas: when the replica running one dies without a word, its
// lease expires and a survivor takes the node over within a bounded time.
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

describe("agentless nodes when their hub replica dies", () => {
  it("moves the node to a survivor once the dead replica's lease expired", async () => {
    await using nats = await startNatsServer();
    await using sim = await startSimulator({ config: { paths: { "cam/1": {} } } });
    await sim.control.publish("cam/1", "synthetic");
    const config = replicaConfig(nats.url);
    await using a = await startHub({ config });
    const nodeId = await createAgentlessNode(a, sim.apiUrl);
    await waitFor(
      () => availableOn(a, nodeId),
      (ok) => ok,
      20_000,
    );
    // B joins after A runs the node: it shows it but leaves it to A.
    await using b = await startHub({ config });
    await waitFor(
      () => availableOn(b, nodeId),
      (ok) => ok,
      20_000,
    );
    expect([startsOf(a, nodeId), startsOf(b, nodeId), leasesTaken(b)]).toEqual([1, 0, 0]);

    const killedAt = Date.now();
    process.kill(-a.pid, "SIGKILL");
    await waitFor(
      async () => startsOf(b, nodeId),
      (n) => n === 1,
      25_000,
    );
    const takeoverMs = Date.now() - killedAt;
    // The lease TTL, the server's expiry tick, one agentless sync (2 s) and the agent's start.
    expect(takeoverMs).toBeLessThan(LEASE_TTL_MS + 12_000);
    expect(takeoverMs).toBeGreaterThanOrEqual(LEASE_TTL_MS - 2_000);
    await waitFor(
      () => availableOn(b, nodeId),
      (ok) => ok,
      20_000,
    );
  }, 55_000);
});
