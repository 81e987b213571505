import { create, type MessageInitShape, toBinary } from "@bufbuild/protobuf";
import {
  type Event,
  EventSchema,
  eventSubject,
  MTX_EVENTS_STREAM,
  NodeRefSchema,
  TelemetrySchema,
  telemetrySubject,
} from "@mtx-fleet/proto";
import { type StartedNatsServer, startNatsServer } from "@mtx-fleet/testkit";
import { type JetStreamClient, jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_DUPLICATE_WINDOW_MS } from "./ensure-events-stream.ts";
import { type NatsIngest, type NatsIngestOptions, startNatsIngest } from "./start-nats-ingest.ts";
import { captureLogger } from "./testing/capture-logger.ts";
import { type RecordingHandlers, recordingHandlers } from "./testing/recording-handlers.ts";
import { waitUntil } from "./testing/wait-until.ts";

const NODE = { environment: "prod", nodeId: "n-1" };

let nats: StartedNatsServer;
let client: NatsConnection;
let js: JetStreamClient;
const ingests: NatsIngest[] = [];

beforeEach(async () => {
  nats = await startNatsServer();
  client = await connect({ servers: nats.url });
  js = jetstream(client);
});

afterEach(async () => {
  for (const ingest of ingests.splice(0)) await ingest.stop();
  await client.close();
  await nats[Symbol.asyncDispose]();
});

function start(handlers: RecordingHandlers, options: Partial<NatsIngestOptions> = {}) {
  const logger = captureLogger();
  const ingest = startNatsIngest({
    servers: nats.url,
    handlers,
    logger,
    nakDelayMs: 20,
    reconnectTimeWaitMs: 100,
    reconnectJitterMs: 50,
    ...options,
  });
  ingests.push(ingest);
  return { ingest, logs: logger.logs };
}

function event(id: string, overrides: MessageInitShape<typeof EventSchema> = {}): Event {
  return create(EventSchema, {
    id,
    kind: "probe.verdict",
    node: create(NodeRefSchema, { nodeId: NODE.nodeId }),
    payload: { case: "json", value: { id } },
    ...overrides,
  });
}

async function publish(...events: Event[]): Promise<void> {
  for (const e of events)
    await js.publish(eventSubject(NODE, e.kind), toBinary(EventSchema, e), { msgID: e.id });
}

describe("startNatsIngest", () => {
  it("redelivers an event whose handler failed and acks it once the handler succeeds", async () => {
    let failures = 0;
    const hub = recordingHandlers({
      before: () => {
        if (failures < 2) {
          failures += 1;
          throw new Error("store busy");
        }
      },
    });
    const { ingest, logs } = start(hub);
    await ingest.ready;
    await publish(event("e-1"));

    await waitUntil("the event was stored", () => hub.events.length === 1);
    expect(hub.events.map((e) => e.id)).toEqual(["e-1"]);
    expect(ingest.status()).toMatchObject({ eventsHandled: 1, eventsRetried: 2, eventsTerminated: 0 });
    expect(logs.filter((log) => log.level === "warn").map((log) => log.fields.deliveries)).toEqual([1, 2]);
  });

  it("terminates an event whose handler keeps failing, without holding back its batch-mates", async () => {
    const hub = recordingHandlers({
      before: (_, events) => {
        if (events.some((e) => e.id === "poison")) throw new Error("cannot store this one");
      },
    });
    const { ingest, logs } = start(hub, { maxDeliveries: 3 });
    await ingest.ready;
    await publish(event("a"), event("poison"), event("b"), event("c"));

    await waitUntil("the poison event was terminated", () => ingest.status().eventsTerminated === 1);
    expect(hub.events.map((e) => e.id)).toEqual(["a", "b", "c"]);
    expect(ingest.status()).toMatchObject({ eventsHandled: 3, eventsRetried: 2, eventsTerminated: 1 });
    expect(logs.filter((log) => log.level === "error")).toEqual([
      expect.objectContaining({
        message: "event handler kept failing; event terminated (not redelivered)",
        fields: expect.objectContaining({ eventId: "poison", deliveries: 3, nodeId: "n-1" }),
      }),
    ]);
  });

  it("terminates messages that can never be handled and keeps going", async () => {
    const hub = recordingHandlers();
    const { ingest, logs } = start(hub);
    await ingest.ready;
    await js.publish(eventSubject(NODE, "probe.verdict"), new Uint8Array([0xff, 0xff, 0xff]));
    await publish(event("spoof", { node: create(NodeRefSchema, { nodeId: "someone-else" }) }));
    await js.publish(eventSubject(NODE, "other.kind"), toBinary(EventSchema, event("wrong-kind")));
    await publish(event("", {}), event("good"));

    await waitUntil("the good event was stored", () => hub.events.length === 1);
    await waitUntil("four messages terminated", () => ingest.status().eventsTerminated === 4);
    expect(hub.events.map((e) => e.id)).toEqual(["good"]);
    expect(logs.filter((log) => log.level === "error").map((log) => log.fields.reason)).toEqual([
      "not an mtx.v1.Event",
      "event node differs from its subject",
      "event kind differs from its subject",
      "event without id",
    ]);
  });

  it("ignores telemetry that does not decode or claims another node", async () => {
    const hub = recordingHandlers();
    const { ingest } = start(hub);
    await ingest.ready;
    const telemetry = (nodeId: string, sequence: bigint) =>
      toBinary(
        TelemetrySchema,
        create(TelemetrySchema, { node: create(NodeRefSchema, { nodeId }), sequence }),
      );
    client.publish(telemetrySubject(NODE), new Uint8Array([0xff]));
    client.publish(telemetrySubject(NODE), telemetry("n-2", 1n));
    client.publish(telemetrySubject(NODE), telemetry("n-1", 7n));

    await waitUntil("the valid telemetry arrived", () => hub.telemetry.size === 1);
    expect([...hub.telemetry].map(([nodeId, t]) => [nodeId, t.sequence])).toEqual([["n-1", 7n]]);
    expect(ingest.status()).toMatchObject({ telemetryHandled: 1, telemetryRejected: 2 });
  });

  it("waits for a broker that is not up yet, then creates the stream and consumes", async () => {
    await client.close();
    await nats.stop();
    const hub = recordingHandlers();
    const { ingest } = start(hub);
    expect(ingest.status().state).toBe("connecting");
    await nats.start();
    await ingest.ready;
    client = await connect({ servers: nats.url });
    js = jetstream(client);
    await publish(event("late"));
    await waitUntil("the event was stored", () => hub.events.length === 1);
    expect(ingest.status().state).toBe("ready");
  });

  it("updates the limits of an existing stream and the settings of an existing consumer", async () => {
    const first = start(recordingHandlers(), { stream: { duplicateWindowMs: 30_000 }, ackWaitMs: 5_000 });
    await first.ingest.ready;
    await first.ingest.stop();
    const second = start(recordingHandlers());
    await second.ingest.ready;

    const jsm = await jetstreamManager(client);
    const stream = await jsm.streams.info(MTX_EVENTS_STREAM);
    const consumer = await jsm.consumers.info(MTX_EVENTS_STREAM, "mtx-hub");
    expect(stream.config).toMatchObject({
      subjects: ["mtx.v1.*.*.events.>"],
      storage: "file",
      retention: "limits",
      duplicate_window: DEFAULT_DUPLICATE_WINDOW_MS * 1_000_000,
    });
    expect(consumer.config).toMatchObject({
      durable_name: "mtx-hub",
      ack_policy: "explicit",
      ack_wait: 30_000 * 1_000_000,
      filter_subject: "mtx.v1.*.*.events.>",
    });
  });

  it("refuses a durable name that JetStream could not use", () => {
    expect(() => start(recordingHandlers(), { durableName: "hub.*" })).toThrow(/invalid consumer name/);
  });
});
