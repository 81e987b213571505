// Agent publisher → real nats-server (JetStream) → hub ingest, with real outboxes on disk.
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { create } from "@bufbuild/protobuf";
// The agent's front door does not export its NATS side yet; import the module directly.
import { createNatsPublisher, type NatsPublisher, type Outbox, openOutbox } from "@mtx-fleet/agent";
import { type EnvironmentName, type Event, MTX_EVENTS_STREAM, TelemetrySchema } from "@mtx-fleet/proto";
import { createTempDir, type StartedNatsServer, startNatsServer, type TempDir } from "@mtx-fleet/testkit";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type NatsIngest, type NatsIngestOptions, startNatsIngest } from "./index.ts";
import { captureLogger } from "./testing/capture-logger.ts";
import { type RecordingHandlers, recordingHandlers } from "./testing/recording-handlers.ts";
import { waitUntil } from "./testing/wait-until.ts";

const FAST_RECONNECT = { reconnectTimeWaitMs: 100, reconnectJitterMs: 100 };

interface Agent {
  readonly nodeId: string;
  readonly outbox: Outbox;
  readonly publisher: NatsPublisher;
  /** Sequence of the telemetry the provider handed out last. */
  telemetrySequence: number;
}

let nats: StartedNatsServer;
let dir: TempDir;
const cleanups: (() => Promise<unknown>)[] = [];

beforeEach(async () => {
  nats = await startNatsServer();
  dir = await createTempDir("mtx-nats-roundtrip-");
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await nats[Symbol.asyncDispose]();
  await dir[Symbol.asyncDispose]();
});

async function startAgent(
  nodeId: string,
  options: { environment?: EnvironmentName; telemetryIntervalMs?: number } = {},
): Promise<Agent> {
  const outbox = await openOutbox({ dir: join(dir.path, `outbox-${encodeURIComponent(nodeId)}`) });
  cleanups.push(() => outbox.close());
  const agent: Agent = { nodeId, outbox, publisher: undefined as never, telemetrySequence: 0 };
  const environment = options.environment ?? "prod";
  const publisher = createNatsPublisher({
    servers: nats.url,
    node: { id: nodeId, environment, name: `name of ${nodeId}` },
    outbox,
    telemetry: () => {
      agent.telemetrySequence += 1;
      return create(TelemetrySchema, { sequence: BigInt(agent.telemetrySequence), full: true });
    },
    telemetryIntervalMs: options.telemetryIntervalMs ?? 20,
    logger: captureLogger(),
    retryMinDelayMs: 50,
    retryMaxDelayMs: 500,
    pubAckTimeoutMs: 1_000,
    ...FAST_RECONNECT,
  });
  cleanups.push(() => publisher.stop());
  return Object.assign(agent, { publisher });
}

function startHub(handlers: RecordingHandlers, options: Partial<NatsIngestOptions> = {}): NatsIngest {
  const ingest = startNatsIngest({
    servers: nats.url,
    handlers,
    logger: captureLogger(),
    ...FAST_RECONNECT,
    ...options,
  });
  cleanups.push(() => ingest.stop());
  return ingest;
}

async function append(agent: Agent, count: number, kind = "probe.verdict"): Promise<void> {
  await Promise.all(Array.from({ length: count }, (_, i) => agent.outbox.append({ kind, payload: { i } })));
}

/** Seqs per node in the order the (deduplicated) events reached the hub. */
function seqsByNode(events: readonly Event[]): Record<string, number[]> {
  const result: Record<string, number[]> = {};
  for (const event of events) {
    const nodeId = event.node!.nodeId;
    result[nodeId] = [...(result[nodeId] ?? []), Number(event.seq)];
  }
  return result;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

async function streamMessages(): Promise<number> {
  const nc = await connect({ servers: nats.url });
  try {
    const jsm = await jetstreamManager(nc);
    return (await jsm.streams.info(MTX_EVENTS_STREAM)).state.messages;
  } finally {
    await nc.close();
  }
}

describe("events from agents to the hub over JetStream", () => {
  it("delivers 300 events of three nodes once each, in outbox order per node", async () => {
    const hub = recordingHandlers();
    await startHub(hub).ready;
    const agents = await Promise.all(["n-1", "n-2", "n-3"].map((id) => startAgent(id)));
    await Promise.all(agents.map((agent) => append(agent, 100)));

    await waitUntil("300 events arrived", () => hub.events.length === 300);
    expect(seqsByNode(hub.events)).toEqual({
      "n-1": range(1, 100),
      "n-2": range(1, 100),
      "n-3": range(1, 100),
    });
    expect(hub.duplicates).toBe(0);
    expect(hub.events[0]).toMatchObject({
      kind: "probe.verdict",
      node: { nodeId: expect.stringMatching(/^n-\d$/), environment: 3 },
      payload: { case: "json", value: { i: expect.any(Number) } },
    });
    await waitUntil("outbox cursors caught up", () =>
      agents.every((agent) => agent.outbox.cursor("hub") === 100),
    );
    expect(agents.map((agent) => agent.publisher.status())).toEqual(
      agents.map(() =>
        expect.objectContaining({ state: "connected", published: 100, duplicates: 0, dropped: 0 }),
      ),
    );
    expect(await streamMessages()).toBe(300);
  });

  it("keeps events in the outbox while NATS is down and replays them exactly once when it is back", async () => {
    const hub = recordingHandlers();
    await startHub(hub).ready;
    const agent = await startAgent("n-1");
    await append(agent, 20);
    await waitUntil("first events arrived", () => hub.events.length === 20);

    await nats.stop();
    await append(agent, 200);
    // Down: nothing is confirmed, so the cursor stays where it was.
    expect(agent.outbox.cursor("hub")).toBe(20);
    await nats.start();

    await waitUntil("all 220 events arrived", () => hub.events.length === 220);
    expect(seqsByNode(hub.events)).toEqual({ "n-1": range(1, 220) });
    expect(new Set(hub.events.map((event) => event.id)).size).toBe(220);
    await waitUntil("the outbox cursor caught up", () => agent.outbox.cursor("hub") === 220);
    // The stream holds each event once: re-sent ones were dropped as duplicates by msg id.
    expect(await streamMessages()).toBe(220);
    expect(agent.publisher.status()).toMatchObject({ state: "connected", dropped: 0 });
  });

  it("loses nothing when a hub replica dies mid-stream; the redelivered events are deduplicated by id", async () => {
    const seen = new Set<string>();
    let held = false;
    // Replica A stores the batch holding seq 150, then dies before acking it.
    const first = recordingHandlers({
      seen,
      after: (_, events) => {
        if (!held && !events.some((event) => event.seq >= 150n)) return;
        held = true;
        return new Promise<void>(() => {});
      },
    });
    const firstHub = startHub(first, { ackWaitMs: 1_000, batchSize: 20, stopTimeoutMs: 100 });
    await firstHub.ready;
    const agent = await startAgent("n-1");
    await append(agent, 300);
    await waitUntil("replica A is stuck", () => held);
    await firstHub.stop();
    const storedByA = first.events.length;

    const second = recordingHandlers({ seen });
    await startHub(second, { ackWaitMs: 1_000, batchSize: 20 }).ready;
    await waitUntil("every event was stored", () => seen.size === 300);
    // B got the batch A stored but never acked again, and dropped it by id.
    await waitUntil("the unacked batch was redelivered", () => second.duplicates > 0);
    expect(storedByA).toBeGreaterThanOrEqual(150);
    expect(storedByA).toBeLessThan(300);
    const stored = [...first.events, ...second.events].map((event) => Number(event.seq));
    expect(stored.sort((x, y) => x - y)).toEqual(range(1, 300));
  });

  it("shares the durable consumer between two hub replicas: each event goes to one of them", async () => {
    const seen = new Set<string>();
    const slow = () => new Promise<void>((resolve) => setTimeout(resolve, 2));
    const a = recordingHandlers({ seen, before: slow });
    const b = recordingHandlers({ seen, before: slow });
    await Promise.all([startHub(a, { batchSize: 10 }).ready, startHub(b, { batchSize: 10 }).ready]);
    const agents = await Promise.all(["n-1", "n-2"].map((id) => startAgent(id)));
    await Promise.all(agents.map((agent) => append(agent, 150)));

    await waitUntil("300 events arrived", () => seen.size === 300);
    const idsA = a.calls.flatMap(([, ids]) => ids);
    const idsB = b.calls.flatMap(([, ids]) => ids);
    expect(idsA.length).toBeGreaterThan(0);
    expect(idsB.length).toBeGreaterThan(0);
    expect(idsA.filter((id) => idsB.includes(id))).toEqual([]);
    expect(idsA.length + idsB.length).toBe(300);
  });
});

describe("telemetry from agents to the hub", () => {
  it("gives every hub replica the newest telemetry of each node", async () => {
    const a = recordingHandlers();
    const b = recordingHandlers({ telemetryDelayMs: 30 });
    const hubA = startHub(a);
    const hubB = startHub(b, { durableName: "other-hub" });
    await Promise.all([hubA.ready, hubB.ready]);
    const agents = await Promise.all(["n-1", "n-2"].map((id) => startAgent(id, { telemetryIntervalMs: 5 })));
    await waitUntil("telemetry flowed", () => agents.every((agent) => agent.telemetrySequence >= 30));
    for (const agent of agents) await agent.publisher.stop();

    const newest = agents.map((agent) => [agent.nodeId, BigInt(agent.telemetrySequence)]);
    const seenBy = (handlers: RecordingHandlers) =>
      agents.map((agent) => [agent.nodeId, handlers.telemetry.get(agent.nodeId)?.sequence]);
    await waitUntil("both replicas saw the newest telemetry", () =>
      [a, b].every((handlers) => isDeepStrictEqual(seenBy(handlers), newest)),
    );
    expect(seenBy(a)).toEqual(newest);
    expect(seenBy(b)).toEqual(newest);
    expect(a.telemetry.get("n-1")?.node).toMatchObject({
      nodeId: "n-1",
      name: "name of n-1",
      environment: 3,
    });
    // The slow replica skipped superseded telemetry instead of queueing it.
    expect(hubB.status().telemetrySuperseded).toBeGreaterThan(0);
    expect(b.telemetryCount).toBeLessThan(a.telemetryCount);
  });
});

describe("hostile node ids and kinds", () => {
  it("carries ids and kinds with dots, wildcards and spaces unchanged and apart", async () => {
    const hub = recordingHandlers();
    await startHub(hub).ready;
    const ids = ["*", ">", "a.b", "n-1 *.>", "📷 cam"];
    const agents = await Promise.all(ids.map((id) => startAgent(id, { environment: "dev" })));
    for (const agent of agents) await append(agent, 2, "plugin.x.*.>. verdict");
    await waitUntil("10 events arrived", () => hub.events.length === 10);
    await waitUntil("telemetry of each node", () => hub.telemetry.size === ids.length);

    expect(Object.keys(seqsByNode(hub.events)).sort()).toEqual([...ids].sort());
    expect(seqsByNode(hub.events)).toEqual(Object.fromEntries(ids.map((id) => [id, [1, 2]])));
    expect(new Set(hub.events.map((event) => event.kind))).toEqual(new Set(["plugin.x.*.>. verdict"]));
    expect(hub.calls.every(([nodeId, eventIds]) => eventIds.length > 0 && ids.includes(nodeId))).toBe(true);
    expect([...hub.telemetry.keys()].sort()).toEqual([...ids].sort());
  });
});
