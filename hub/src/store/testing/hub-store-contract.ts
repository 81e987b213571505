// Test-only: the behaviour every HubStore must have, run against each implementation.
// Not exported from index.ts.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { EnrolTokenRecord, EventRecord, NodeRecord, StreamRecord } from "../hub-records.ts";
import type { HubStore } from "../hub-store.ts";

/** Opens stores on one backing (a data dir, a NATS server); each `open` after a `close` sees the same data. */
export interface HubStoreFixture extends AsyncDisposable {
  open(options?: { readonly maxEventsPerNode?: number }): Promise<HubStore>;
}

export const NODE: NodeRecord = {
  id: "5b0c7a2e-8a57-4c1b-9d43-2f7d0b1c9e11",
  name: "edge-1",
  environment: "prod",
  labels: { site: "a" },
  kind: "agent",
  createdAt: "2025-01-01T00:00:00.000Z",
  enrolledAt: null,
  agentVersion: null,
  hostname: null,
};

export function event(seq: number, id = `ev-${seq}`): EventRecord {
  return {
    id,
    nodeId: NODE.id,
    seq,
    kind: "path.availability",
    occurredAt: new Date(Date.UTC(2025, 0, 1, 0, 0, seq)).toISOString(),
    receivedAt: "2025-01-01T01:00:00.000Z",
    streamId: null,
    pathName: null,
    requestId: null,
    payload: null,
  };
}

/** Enrolment token `e1` of `NODE`, not used yet, expiring at 1 000 (a fresh object each call). */
function unusedToken(): EnrolTokenRecord {
  return { hash: "e1", nodeId: NODE.id, createdAt: 1, expiresAt: 1_000, usedAt: null };
}

export function stream(pathName: string, available = true): StreamRecord {
  // Fields newer than this contract (e.g. health) come from a spread, not the literal.
  const soft = { health: null };
  return {
    id: `s-${pathName}`,
    nodeId: NODE.id,
    pathName,
    confName: pathName,
    available,
    sourceType: "rtspSession",
    tracks: ["H264"],
    readers: 0,
    inboundBytes: 0,
    outboundBytes: 0,
    inboundBytesPerSecond: 0,
    outboundBytesPerSecond: 0,
    availableSince: null,
    updatedAt: "2025-01-01T00:00:00.000Z",
    ...soft,
  };
}

/** The `HubStore` contract: `setup` gives a fresh, empty backing per test. */
export function describeHubStoreContract(name: string, setup: () => Promise<HubStoreFixture>): void {
  describe(`${name} (HubStore contract)`, () => {
    let fixture: HubStoreFixture;
    beforeEach(async () => {
      fixture = await setup();
    });
    afterEach(async () => {
      await fixture[Symbol.asyncDispose]();
    });

    it("keeps nodes, tokens, credentials, users and events across a reopen", async () => {
      const first = await fixture.open();
      await Promise.all([
        first.putNode(NODE),
        first.putEnrolToken(unusedToken()),
        first.putNodeCredential({ hash: "c1", nodeId: NODE.id, createdAt: 2 }),
        first.putUser({ username: "admin", role: "admin", passwordHash: "scrypt$x$y", createdAt: 3 }),
        first.putApiToken({
          id: "t1",
          hash: "a1",
          name: "ci",
          role: "viewer",
          username: "admin",
          createdAt: 4,
          expiresAt: null,
        }),
        first.appendEvents(NODE.id, [event(1), event(2)]),
      ]);
      await first.close();

      const second = await fixture.open();
      expect({
        nodes: await second.listNodes(),
        token: await second.consumeEnrolToken("e1", 500),
        credential: await second.findNodeCredential("c1"),
        user: (await second.getUser("admin"))?.role,
        apiToken: (await second.findApiToken("a1"))?.name,
        events: (await second.listEvents({}, { page: 0, perPage: 10 })).items.map((e) => e.id),
        highestSeq: await second.highestEventSeq(NODE.id),
      }).toEqual({
        nodes: [NODE],
        token: {
          kind: "consumed",
          token: { hash: "e1", nodeId: NODE.id, createdAt: 1, expiresAt: 1_000, usedAt: 500 },
        },
        credential: { hash: "c1", nodeId: NODE.id, createdAt: 2 },
        user: "admin",
        apiToken: "ci",
        events: ["ev-1", "ev-2"],
        highestSeq: 2,
      });
      await second.close();
    });

    it("lets only one of two concurrent consumers use an enrolment token", async () => {
      const store = await fixture.open();
      await store.putEnrolToken(unusedToken());
      const results = await Promise.all([
        store.consumeEnrolToken("e1", 10),
        store.consumeEnrolToken("e1", 11),
      ]);
      expect(results.map((r) => r.kind)).toEqual(["consumed", "used"]);
      expect([await store.consumeEnrolToken("e1", 2_000), await store.consumeEnrolToken("nope", 1)]).toEqual([
        { kind: "used", usedAt: 10 },
        { kind: "unknown" },
      ]);
      await store.close();
    });

    it("reports an expired enrolment token as expired", async () => {
      const store = await fixture.open();
      await store.putEnrolToken(unusedToken());
      expect(await store.consumeEnrolToken("e1", 1_000)).toEqual({ kind: "expired", expiresAt: 1_000 });
      await store.close();
    });

    it("drops duplicate events by id and replays below the kept window", async () => {
      const store = await fixture.open({ maxEventsPerNode: 3 });
      const first = await store.appendEvents(NODE.id, [event(1), event(2), event(3), event(4)]);
      const replay = await store.appendEvents(NODE.id, [event(1), event(3), event(4), event(5)]);
      expect({
        first: first.stored.map((e) => e.seq),
        replay: replay.stored.map((e) => e.seq),
        highestSeq: replay.highestSeq,
        kept: (await store.listEvents({ nodeId: NODE.id }, { page: 0, perPage: 10 })).items.map((e) => e.seq),
      }).toEqual({ first: [1, 2, 3, 4], replay: [5], highestSeq: 5, kept: [3, 4, 5] });
      await store.close();
    });

    it("filters and pages events", async () => {
      const store = await fixture.open();
      await store.appendEvents(NODE.id, [
        event(1),
        { ...event(2), kind: "hook.received" },
        event(3),
        event(4),
      ]);
      const page = await store.listEvents(
        { kind: "path.availability", sinceMs: Date.parse(event(2).occurredAt) },
        { page: 1, perPage: 1 },
      );
      expect({ ...page, items: page.items.map((e) => e.seq) }).toEqual({
        itemCount: 2,
        pageCount: 2,
        items: [4],
      });
      await store.close();
    });

    it("replaces and updates a node's streams, and deleting the node removes everything of it", async () => {
      const store = await fixture.open();
      await store.putNode(NODE);
      await store.putNodeCredential({ hash: "c1", nodeId: NODE.id, createdAt: 2 });
      await store.appendEvents(NODE.id, [event(1)]);
      await store.replaceStreams(NODE.id, [stream("a"), stream("b")]);
      await store.updateStreams(NODE.id, [stream("c"), stream("a", false)], ["s-b"]);
      expect((await store.listStreams()).map((s) => [s.pathName, s.available])).toEqual([
        ["a", false],
        ["c", true],
      ]);
      expect(await store.deleteNode(NODE.id)).toBe(true);
      expect({
        node: await store.getNode(NODE.id),
        credential: await store.findNodeCredential("c1"),
        streams: await store.listStreams(),
        events: (await store.listEvents({}, { page: 0, perPage: 10 })).itemCount,
        again: await store.deleteNode(NODE.id),
      }).toEqual({ node: undefined, credential: undefined, streams: [], events: 0, again: false });
      await store.close();
    });

    it("creates a user only when the name is free", async () => {
      const store = await fixture.open();
      const user = {
        username: "ops team",
        role: "operator",
        passwordHash: "scrypt$a$b",
        createdAt: 1,
      } as const;
      const results = await Promise.all([
        store.createUser(user),
        store.createUser({ ...user, createdAt: 2 }),
      ]);
      expect([results.sort(), (await store.getUser("ops team"))?.username]).toEqual([
        [false, true],
        "ops team",
      ]);
      await store.close();
    });

    it("lists API tokens oldest first and revokes one by id", async () => {
      const store = await fixture.open();
      const token = (id: string, createdAt: number) =>
        ({
          id,
          hash: `h-${id}`,
          name: id,
          role: "viewer",
          username: "admin",
          createdAt,
          expiresAt: null,
        }) as const;
      await store.putApiToken(token("b", 2));
      await store.putApiToken(token("a", 1));
      expect([await store.deleteApiToken("b"), await store.deleteApiToken("nope")]).toEqual([true, false]);
      expect({
        listed: (await store.listApiTokens()).map((t) => t.id),
        revoked: await store.findApiToken("h-b"),
      }).toEqual({ listed: ["a"], revoked: undefined });
      await store.close();
    });
  });
}
