// Agentless nodes with hub replicas: each runs on exactly one replica (a lease in NATS KV) and
// moves to a survivor when its replica stops or dies. Real nats-server, simulator and hubs.
import { type StartedHub, startHub, startNatsServer, startSimulator, waitFor } from "@mtx-fleet/testkit";
import { describe, expect, it } from "vitest";

interface Page<T> {
  readonly items: T[];
  readonly itemCount: number;
}

const LEASE_TTL_MS = 3_000;

const startsOf = (hub: StartedHub, nodeId: string): number =>
  hub.logs().filter((line) => line.msg === "agentless node started" && line.node === nodeId).length;
const availableOn = async (hub: StartedHub, nodeId: string): Promise<boolean> => {
  const page = (await hub.request("GET", `/api/v1/streams?node=${nodeId}`)).body as Page<{
    available: boolean;
  }>;
  const node = (await hub.request("GET", `/api/v1/fleet/nodes/${nodeId}`)).body as {
    connectivity?: { state: string };
  };
  return page.itemCount === 1 && page.items[0]?.available === true && node.connectivity?.state === "online";
};

describe("agentless nodes with two hub replicas", () => {
  it("runs the node on one replica only and moves it when that replica stops or dies", async () => {
    await using nats = await startNatsServer();
    await using sim = await startSimulator({ config: { paths: { "cam/1": {} } } });
    await sim.control.publish("cam/1", "synthetic");
    // Info level: the test reads early log lines, which debug lines would push out of the kept tail.
    const config = {
      nats: { servers: [nats.url] },
      agentless: { leaseTtlMs: LEASE_TTL_MS },
      log: { level: "info" },
    };
    await using a = await startHub({ config });
    await using b = await startHub({ config });
    const created = await a.request("POST", "/api/v1/fleet/nodes", {
      name: "remote-r",
      environment: "dev",
      labels: {},
      apiUrl: sim.apiUrl,
    });
    const nodeId = (created.body as { node: { id: string } }).node.id;

    // Both replicas show it; one runs it.
    for (const hub of [a, b])
      await waitFor(
        () => availableOn(hub, nodeId),
        (ok) => ok,
        20_000,
      );
    const owner = startsOf(a, nodeId) === 1 ? a : b;
    const other = owner === a ? b : a;
    // Several lease renewals later it still ran once, on the owner only.
    await waitFor(
      async () => owner.logs().filter((l) => l.msg === "agentless lease taken").length,
      (n) => n === 1,
    );
    await new Promise((resolve) => setTimeout(resolve, 2 * LEASE_TTL_MS));
    expect([startsOf(owner, nodeId), startsOf(other, nodeId)]).toEqual([1, 0]);

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

    // A third replica joins; the owner now dies without a word: the lease expires, C takes over.
    await using c = await startHub({ config });
    await waitFor(
      () => availableOn(c, nodeId),
      (ok) => ok,
      20_000,
    );
    expect(startsOf(c, nodeId)).toBe(0);
    const killedAt = Date.now();
    process.kill(-(other as StartedHub).pid, "SIGKILL");
    await waitFor(
      async () => startsOf(c, nodeId),
      (n) => n === 1,
      20_000,
    );
    const takeoverMs = Date.now() - killedAt;
    // Lease TTL, plus the server's expiry tick, one agentless sync (2 s) and the agent's start.
    expect(takeoverMs).toBeLessThan(LEASE_TTL_MS + 12_000);
    await waitFor(
      () => availableOn(c, nodeId),
      (ok) => ok,
      20_000,
    );
  }, 55_000);
});
