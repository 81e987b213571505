import type { CredentialStore, LinkClient } from "@mtx-fleet/agent";
import { createLinkClient } from "@mtx-fleet/agent";
import { MtxError } from "@mtx-fleet/plugin-api";
import { Environment } from "@mtx-fleet/proto";
import { type StartedNatsServer, startNatsServer, waitFor } from "@mtx-fleet/testkit";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLinkServer, type LinkServer } from "../link/index.ts";
import { createMapLinkHandlers, createMemoryLogger } from "../link/map-link-handlers.ts";
import { type ReplicaBus, startReplicaBus } from "./replica-bus.ts";

const NODE = { nodeId: "node-a", name: "edge-a", environment: Environment.PROD, labels: {} };
const logger = createMemoryLogger();

/** What a replica's fleet heard from the others. */
interface HeardFleet {
  readonly seen: Array<[string, number]>;
  readonly gone: string[];
  markSeen(nodeId: string, atMs: number): void;
  markDisconnected(nodeId: string): void;
}

function heardFleet(): HeardFleet {
  const fleet: HeardFleet = {
    seen: [],
    gone: [],
    markSeen: (nodeId, atMs) => fleet.seen.push([nodeId, atMs]),
    markDisconnected: (nodeId) => fleet.gone.push(nodeId),
  };
  return fleet;
}

let nats: StartedNatsServer;
const cleanups: Array<() => Promise<unknown> | unknown> = [];
beforeEach(async () => {
  nats = await startNatsServer({ jetstream: false });
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await nats[Symbol.asyncDispose]();
});

/** One hub replica's link server and bus on its own NATS connection. */
async function replica(
  id: string,
  options: { announceIntervalMs?: number } = {},
): Promise<{ bus: ReplicaBus; link: LinkServer; fleet: HeardFleet }> {
  const nc: NatsConnection = await connect({ servers: nats.url });
  const fleet = heardFleet();
  const bus = startReplicaBus({ nc, replicaId: id, fleet, logger, ...options });
  const map = createMapLinkHandlers();
  map.credentials.set("cred-a", NODE);
  const link = await createLinkServer({
    host: "127.0.0.1",
    port: 0,
    handlers: map.handlers,
    logger,
    onSessionChange: bus.sessionChanged,
  });
  bus.attach(link);
  cleanups.push(
    () => nc.close(),
    () => bus.stop(),
    () => link.close(),
  );
  return { bus, link, fleet };
}

function agent(link: LinkServer): LinkClient {
  const credentialStore: CredentialStore = { get: async () => "cred-a", set: async () => undefined };
  const client = createLinkClient({
    hubUrl: link.address,
    credentialStore,
    agentVersion: "1.0.0",
    hello: () => ({}),
    commands: {
      sync: () => ({ paths: 7 }),
      probe: () => {
        throw new MtxError("MTX_PROBE_BUSY", "every probe slot is taken");
      },
    },
    logger,
    backoff: { baseMs: 20, maxMs: 100 },
  });
  cleanups.push(() => client.stop());
  return client;
}

async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    const mtx = MtxError.from(error);
    return { code: mtx.code, message: mtx.message };
  }
  throw new Error("expected a rejection");
}

describe("startReplicaBus", () => {
  it("routes a command to the replica holding the session, with the agent's own errors", async () => {
    const a = await replica("a");
    const b = await replica("b");
    const client = agent(a.link);
    await waitFor(
      async () => client.state(),
      (state) => state === "connected",
    );

    expect(
      (await b.bus.sendCommand("node-a", { case: "sync", value: {} }, { timeoutMs: 5_000 })).value,
    ).toEqual({
      paths: 7,
    });
    expect((await a.bus.sendCommand("node-a", { case: "sync", value: {} })).value).toEqual({ paths: 7 });
    expect(
      await failure(
        b.bus.sendCommand("node-a", { case: "probe", value: { pathName: "cam" } }, { timeoutMs: 5_000 }),
      ),
    ).toEqual({ code: "MTX_PROBE_BUSY", message: "every probe slot is taken" });
  });

  it("answers MTX_NODE_OFFLINE at once when no replica holds the node's session", async () => {
    const a = await replica("a");
    const b = await replica("b");
    const client = agent(a.link);
    await waitFor(
      async () => client.state(),
      (state) => state === "connected",
    );
    await client.stop();
    await waitFor(
      async () => a.link.sessions.session("node-a"),
      (session) => session === undefined,
    );

    const started = Date.now();
    expect(
      await failure(b.bus.sendCommand("node-a", { case: "sync", value: {} }, { timeoutMs: 20_000 })),
    ).toEqual({
      code: "MTX_NODE_OFFLINE",
      message: "node node-a has no live session with any hub replica",
    });
    // No responder is known at once: nothing waits for the 20 s deadline.
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("tells the other replicas a node was seen or is gone, and not itself", async () => {
    const a = await replica("a");
    const b = await replica("b");
    // Relays run only once a peer is known; replicas announce themselves at start.
    await waitFor(
      async () => [a.bus.peers(), b.bus.peers()],
      ([pa, pb]) => pa?.[0] === "b" && pb?.[0] === "a",
    );
    a.bus.publishSeen("node-a", 1_234);
    a.bus.publishGone("node-a");
    await waitFor(
      async () => b.fleet.gone.length,
      (n) => n === 1,
    );
    expect({ b: [b.fleet.seen, b.fleet.gone], a: [a.fleet.seen, a.fleet.gone] }).toEqual({
      b: [[["node-a", 1_234]], ["node-a"]],
      a: [[], []],
    });
  });

  it("relays nothing while it has no peer, and forgets a peer that went quiet", async () => {
    const a = await replica("a", { announceIntervalMs: 100 });
    a.bus.publishSeen("node-a", 1);
    const b = await replica("b", { announceIntervalMs: 100 });
    await waitFor(
      async () => a.bus.peers(),
      (peers) => peers.length === 1,
    );
    a.bus.publishSeen("node-a", 2);
    await waitFor(
      async () => b.fleet.seen,
      (seen) => seen.length === 1,
    );
    await b.bus.stop();
    await waitFor(
      async () => a.bus.peers(),
      (peers) => peers.length === 0,
    );
    expect(b.fleet.seen).toEqual([["node-a", 2]]);
  });
});
