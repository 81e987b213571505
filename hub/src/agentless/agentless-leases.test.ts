import { type StartedNatsServer, startNatsServer, waitFor } from "@mtx-fleet/testkit";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { captureLogger } from "../nats/testing/capture-logger.ts";
import { type AgentlessLeasesOptions, openAgentlessLeases } from "./agentless-leases.ts";

const TTL_MS = 1_500;
const logger = captureLogger();

let nats: StartedNatsServer;
const connections: NatsConnection[] = [];
beforeEach(async () => {
  nats = await startNatsServer();
});
afterEach(async () => {
  await Promise.all(connections.splice(0).map((nc) => nc.close()));
  await nats[Symbol.asyncDispose]();
});

async function leasesFor(replicaId: string, options: Partial<AgentlessLeasesOptions> = {}) {
  const nc = await connect({ servers: nats.url, maxReconnectAttempts: -1, reconnectTimeWait: 100 });
  connections.push(nc);
  return openAgentlessLeases({ nc, replicaId, ttlMs: TTL_MS, timeoutMs: 500, logger, ...options });
}

describe("openAgentlessLeases", () => {
  it("gives a node to one replica, renews it there, and hands it over when released", async () => {
    const [a, b] = [await leasesFor("a"), await leasesFor("b")];
    expect([await a.claim("n1"), await b.claim("n1"), await a.claim("n1"), await b.claim("n1")]).toEqual([
      true,
      false,
      true,
      false,
    ]);
    await a.release("n1");
    expect([await b.claim("n1"), a.held(), b.held()]).toEqual([true, [], ["n1"]]);
  });

  it("frees the node of a replica that stopped renewing once the TTL ran out", async () => {
    const [a, b] = [await leasesFor("a"), await leasesFor("b")];
    expect(await a.claim("n1")).toBe(true);
    await waitFor(
      () => b.claim("n1"),
      (taken) => taken,
      10_000,
      200,
    );
    // The old holder learns it lost the lease on its next renewal.
    expect([await a.claim("n1"), a.held()]).toEqual([false, []]);
  });

  it("keeps a node through a short NATS outage and gives it up before the TTL could have run out", async () => {
    let now = 0;
    const a = await leasesFor("a", { now: () => now });
    expect(await a.claim("n1")).toBe(true);
    await nats.stop();
    now = TTL_MS * 0.5;
    const early = await a.claim("n1");
    now = TTL_MS * 0.9;
    const late = await a.claim("n1");
    expect([early, late, a.held()]).toEqual([true, false, []]);
  });
});
