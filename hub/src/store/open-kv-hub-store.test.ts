import { MtxError } from "@mtx-fleet/plugin-api";
import { freePort, type StartedNatsServer, startNatsServer, waitFor } from "@mtx-fleet/testkit";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { connectHubNats } from "../nats/connect-hub-nats.ts";
import { captureLogger } from "../nats/testing/capture-logger.ts";
import type { HubStore } from "./hub-store.ts";
import { type KvHubStore, openKvHubStore } from "./open-kv-hub-store.ts";
import { describeHubStoreContract, event, NODE } from "./testing/hub-store-contract.ts";

const logger = captureLogger();

/** A store on its own connection; closing the store closes the connection too. */
async function openOn(url: string, maxEventsPerNode?: number): Promise<KvHubStore> {
  const nc = await connect({ servers: url, maxReconnectAttempts: -1, reconnectTimeWait: 200 });
  const store = await openKvHubStore({
    nc,
    logger,
    ...(maxEventsPerNode === undefined ? {} : { maxEventsPerNode }),
  });
  return {
    ...store,
    close: async () => {
      await store.close();
      await nc.close();
    },
  };
}

describeHubStoreContract("openKvHubStore", async () => {
  const nats = await startNatsServer();
  return {
    open: ({ maxEventsPerNode } = {}) => openOn(nats.url, maxEventsPerNode),
    [Symbol.asyncDispose]: () => nats[Symbol.asyncDispose](),
  };
});

describe("openKvHubStore with two replicas", () => {
  let nats: StartedNatsServer;
  let a: HubStore;
  let b: HubStore;
  beforeEach(async () => {
    nats = await startNatsServer();
    [a, b] = await Promise.all([openOn(nats.url), openOn(nats.url)]);
  });
  afterEach(async () => {
    await Promise.allSettled([a.close(), b.close()]);
    await nats[Symbol.asyncDispose]();
  });

  it("lets only one of two replicas use an enrolment token, however often they race", async () => {
    const tokens = Array.from({ length: 20 }, (_, i) => ({
      hash: `e${i}`,
      nodeId: NODE.id,
      createdAt: 1,
      expiresAt: 10_000,
      usedAt: null,
    }));
    await Promise.all(tokens.map((token) => a.putEnrolToken(token)));
    const results = await Promise.all(
      tokens.map(async (token) =>
        (await Promise.all([a.consumeEnrolToken(token.hash, 5), b.consumeEnrolToken(token.hash, 6)]))
          .map((r) => r.kind)
          .sort(),
      ),
    );
    expect(results).toEqual(tokens.map(() => ["consumed", "used"]));
  });

  it("shows one replica's writes on the other, and deletes too", async () => {
    await a.putNode(NODE);
    await a.putNodeCredential({ hash: "c1", nodeId: NODE.id, createdAt: 1 });
    // Found at once (the bucket is asked on a miss), then listed once the follower has it.
    expect(await b.findNodeCredential("c1")).toEqual({ hash: "c1", nodeId: NODE.id, createdAt: 1 });
    await waitFor(
      () => b.listNodes(),
      (nodes) => nodes.length === 1,
    );
    await b.appendEvents(NODE.id, [event(1), event(2)]);
    await waitFor(
      async () => (await a.listEvents({}, { page: 0, perPage: 10 })).items.map((e) => e.seq),
      (seqs) => seqs.join() === "1,2",
    );
    expect(await a.highestEventSeq(NODE.id)).toBe(2);

    expect(await b.deleteNode(NODE.id)).toBe(true);
    const gone = await waitFor(
      async () => ({
        nodes: await a.listNodes(),
        node: await a.getNode(NODE.id),
        credential: await a.findNodeCredential("c1"),
        events: (await a.listEvents({}, { page: 0, perPage: 10 })).itemCount,
      }),
      (state) => state.nodes.length === 0 && state.events === 0,
    );
    expect(gone).toEqual({ nodes: [], node: undefined, credential: undefined, events: 0 });
  });

  it("stores an event that two replicas receive at once a single time", async () => {
    const batch = Array.from({ length: 50 }, (_, i) => event(i + 1));
    const [fromA, fromB] = await Promise.all([
      a.appendEvents(NODE.id, batch),
      b.appendEvents(NODE.id, batch),
    ]);
    expect(fromA.stored.length + fromB.stored.length).toBe(50);
    for (const store of [a, b]) {
      const listed = await waitFor(
        async () => (await store.listEvents({ nodeId: NODE.id }, { page: 0, perPage: 100 })).items,
        (items) => items.length === 50,
      );
      expect(listed.map((e) => e.seq)).toEqual(batch.map((e) => e.seq));
    }
  });

  it("keeps serving reads while NATS restarts, fails writes meanwhile, and loses nothing acknowledged", async () => {
    await a.putNode(NODE);
    await a.appendEvents(NODE.id, [event(1)]);
    await nats.stop();
    expect(await a.listNodes()).toEqual([NODE]);
    const failed = await a.putUser({ username: "x", role: "viewer", passwordHash: "p", createdAt: 1 }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(MtxError.is(failed, "MTX_NATS_UNAVAILABLE")).toBe(true);
    await nats.start();
    await waitFor(
      () => a.appendEvents(NODE.id, [event(2)]).catch(() => undefined),
      (result) => result !== undefined,
    );
    await waitFor(
      async () => (await b.listEvents({}, { page: 0, perPage: 10 })).items.map((e) => e.seq),
      (seqs) => seqs.join() === "1,2",
    );
    const reopened = await openOn(nats.url);
    expect({
      nodes: await reopened.listNodes(),
      events: (await reopened.listEvents({}, { page: 0, perPage: 10 })).items.map((e) => e.seq),
    }).toEqual({ nodes: [NODE], events: [1, 2] });
    await reopened.close();
  }, 40_000);

  it("shares named values: the first replica to store one wins", async () => {
    const [fromA, fromB] = await Promise.all([
      (a as KvHubStore).shared.createIfAbsent("secret-key", "from-a"),
      (b as KvHubStore).shared.createIfAbsent("secret-key", "from-b"),
    ]);
    expect(fromA).toBe(fromB);
    expect(await (b as KvHubStore).shared.get("secret-key")).toBe(fromA);
  });
});

describe("connectHubNats", () => {
  it("fails with MTX_NATS_UNAVAILABLE when no server answers within the timeout", async () => {
    const url = `nats://127.0.0.1:${await freePort()}`;
    const error = await connectHubNats({ servers: url, name: "t", logger, connectTimeoutMs: 1_500 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(MtxError.is(error, "MTX_NATS_UNAVAILABLE") && error.message).toMatch(
      /^cannot connect to NATS at nats:\/\/127\.0\.0\.1:\d+ within 1500 ms/,
    );
  });

  it("fails with MTX_NATS_UNAVAILABLE naming JetStream when the server has none", async () => {
    await using nats = await startNatsServer({ jetstream: false });
    const error = await connectHubNats({
      servers: nats.url,
      name: "t",
      logger,
      connectTimeoutMs: 5_000,
    }).then(
      (nc: NatsConnection) => nc.close(),
      (e: unknown) => e,
    );
    expect(MtxError.is(error, "MTX_NATS_UNAVAILABLE") && error.message).toMatch(/offers no JetStream/);
  });
});
