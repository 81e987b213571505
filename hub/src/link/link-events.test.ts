import type { Outbox } from "@mtx-fleet/agent";
import { createLinkClient, openOutbox } from "@mtx-fleet/agent";
import { Environment } from "@mtx-fleet/proto";
import { createTempDir, freePort } from "@mtx-fleet/testkit";
import { afterEach, describe, expect, it } from "vitest";
import type { LinkServer } from "./create-link-server.ts";
import { createLinkServer } from "./create-link-server.ts";
import type { MapLinkHandlers } from "./map-link-handlers.ts";
import { createMapLinkHandlers, createMemoryLogger, waitFor } from "./map-link-handlers.ts";

const NODE_A = { nodeId: "node-a", name: "edge-a", environment: Environment.PROD, labels: {} };

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startServer(map: MapLinkHandlers, port: number): Promise<LinkServer> {
  const server = await createLinkServer({
    host: "127.0.0.1",
    port,
    handlers: map.handlers,
    logger: createMemoryLogger(),
    heartbeatIntervalMs: 100,
    staleAfterMs: 500,
    offlineAfterMs: 1_000,
  });
  cleanups.push(() => server.close());
  return server;
}

async function setUp() {
  const dir = await createTempDir("mtx-link-");
  cleanups.push(async () => {
    await dir[Symbol.asyncDispose]();
  });
  const outbox = await openOutbox({ dir: dir.path, logger: createMemoryLogger() });
  cleanups.push(() => outbox.close());
  const map = createMapLinkHandlers();
  map.credentials.set("cred-a", NODE_A);
  const port = await freePort();
  return { outbox, map, port };
}

function startClient(port: number, outbox: Outbox, logger = createMemoryLogger()) {
  const client = createLinkClient({
    hubUrl: `127.0.0.1:${port}`,
    credentialStore: { get: async () => "cred-a", set: async () => {} },
    agentVersion: "9.9.9",
    hello: () => ({}),
    outbox,
    commands: {},
    logger,
    backoff: { baseMs: 20, maxMs: 100 },
  });
  cleanups.push(() => client.stop());
  return client;
}

async function appendEvents(outbox: Outbox, count: number): Promise<string[]> {
  const records = await Promise.all(
    Array.from({ length: count }, (_, i) =>
      outbox.append({ kind: "test.tick", payload: { i }, occurredAt: 1_700_000_000_000 + i }),
    ),
  );
  return records.map((record) => record.id);
}

describe("events over the session", () => {
  it("delivers 500 events queued while the hub was down exactly once, in seq order", async () => {
    const { outbox, map, port } = await setUp();
    const ids = await appendEvents(outbox, 500);
    const logger = createMemoryLogger();
    startClient(port, outbox, logger);
    await waitFor(
      () => logger.records.some((r) => r.msg === "link failed; reconnecting"),
      5_000,
      "a failed attempt",
    );

    await startServer(map, port);
    await waitFor(() => outbox.cursor("hub") === 500, 10_000, "cursor at 500");
    expect(map.deliveries).toEqual(ids);
    expect([...map.stored.values()].map((event) => Number(event.seq))).toEqual(ids.map((_, i) => i + 1));
    const first = map.stored.get(ids[0] ?? "");
    expect([first?.kind, first?.node?.nodeId, first?.payload, first?.occurredAt?.seconds]).toEqual([
      "test.tick",
      "node-a",
      { case: "json", value: { i: 0 } },
      1_700_000_000n,
    ]);
  });

  it("advances the outbox cursor only after the hub's EventAck", async () => {
    const { outbox, map, port } = await setUp();
    await appendEvents(outbox, 150);
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let received = 0;
    map.onEvents = async (events, store) => {
      received += events.length;
      await held;
      return store();
    };
    await startServer(map, port);
    startClient(port, outbox);

    await waitFor(() => received > 0, 5_000, "the first batch at the hub");
    expect([received, outbox.cursor("hub")]).toEqual([100, 0]); // one batch in flight, not acked
    release();
    await waitFor(() => outbox.cursor("hub") === 150, 5_000, "cursor at 150");
    expect(map.stored.size).toBe(150);
  });

  it("loses nothing when the hub restarts mid-stream, and duplicates are only by id", async () => {
    const { outbox, map, port } = await setUp();
    const ids = await appendEvents(outbox, 500);
    let batches = 0;
    let firstServer: LinkServer | undefined;
    // The third batch is received (but not stored) and the hub goes down before acking it;
    // the fourth is stored but its ack is lost in the next restart.
    map.onEvents = async (_events, store) => {
      batches += 1;
      if (batches === 3 || batches === 4) {
        if (batches === 4) store();
        void firstServer?.close();
        return new Promise(() => {});
      }
      return store();
    };
    firstServer = await startServer(map, port);
    const client = startClient(port, outbox);
    await waitFor(() => batches >= 3, 10_000, "third batch");
    await firstServer.close();

    firstServer = await startServer(map, port);
    await waitFor(() => batches >= 4, 10_000, "fourth batch");
    await firstServer.close();

    await startServer(map, port);
    await waitFor(() => outbox.cursor("hub") === 500, 10_000, "cursor at 500");
    expect(client.state()).toBe("connected");
    expect([...map.stored.keys()]).toEqual(ids);
    expect(new Set(map.deliveries)).toEqual(new Set(ids));
  });
});
