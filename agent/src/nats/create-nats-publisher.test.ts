import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { create, fromBinary } from "@bufbuild/protobuf";
import type { Logger } from "@mtx-fleet/plugin-api";
import {
  Environment,
  EventSchema,
  MTX_EVENTS_STREAM,
  MTX_EVENTS_SUBJECT_FILTER,
  TelemetrySchema,
  telemetrySubject,
} from "@mtx-fleet/proto";
import { createTempDir, type StartedNatsServer, startNatsServer, type TempDir } from "@mtx-fleet/testkit";
import { jetstreamManager, StorageType } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Outbox, openOutbox } from "../outbox/index.ts";
import {
  createNatsPublisher,
  type NatsPublisher,
  type NatsPublisherOptions,
} from "./create-nats-publisher.ts";

interface LogLine {
  readonly level: string;
  readonly message: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

function captureLogger(lines: LogLine[]): Logger {
  const at = (level: string) => (fields: Readonly<Record<string, unknown>>, message: string) => {
    lines.push({ level, message, fields });
  };
  const logger: Logger = {
    debug: at("debug"),
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
    child: () => logger,
  };
  return logger;
}

let nats: StartedNatsServer;
let dir: TempDir;
let outbox: Outbox;
let logs: LogLine[];
const publishers: NatsPublisher[] = [];

beforeEach(async () => {
  nats = await startNatsServer();
  dir = await createTempDir("mtx-nats-publisher-");
  outbox = await openOutbox({ dir: join(dir.path, "outbox") });
  logs = [];
});

afterEach(async () => {
  for (const publisher of publishers.splice(0)) await publisher.stop();
  await outbox.close();
  await nats[Symbol.asyncDispose]();
  await dir[Symbol.asyncDispose]();
});

function startPublisher(options: Partial<NatsPublisherOptions> = {}): NatsPublisher {
  const publisher = createNatsPublisher({
    servers: nats.url,
    node: { id: "n-1", environment: "prod" },
    outbox,
    logger: captureLogger(logs),
    retryMinDelayMs: 20,
    retryMaxDelayMs: 200,
    reconnectTimeWaitMs: 100,
    reconnectJitterMs: 50,
    ...options,
  });
  publishers.push(publisher);
  return publisher;
}

async function withClient<T>(fn: (nc: NatsConnection) => Promise<T>): Promise<T> {
  const nc = await connect({ servers: nats.url });
  try {
    return await fn(nc);
  } finally {
    await nc.close();
  }
}

async function createStream(maxMsgBytes = -1): Promise<void> {
  await withClient(async (nc) => {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({
      name: MTX_EVENTS_STREAM,
      subjects: [MTX_EVENTS_SUBJECT_FILTER],
      storage: StorageType.File,
      max_msg_size: maxMsgBytes,
    });
  });
}

/** Every stored message: subject, msg id header and the decoded event's id and seq. */
async function storedEvents(): Promise<{ subject: string; msgId: string; id: string; seq: bigint }[]> {
  return withClient(async (nc) => {
    const jsm = await jetstreamManager(nc);
    const { state } = await jsm.streams.info(MTX_EVENTS_STREAM);
    const result = [];
    for (let seq = state.first_seq; seq <= state.last_seq && state.messages > 0; seq += 1) {
      const message = await jsm.streams.getMessage(MTX_EVENTS_STREAM, { seq });
      if (message === null) continue;
      const event = fromBinary(EventSchema, message.data);
      const msgId = message.header.get("Nats-Msg-Id");
      result.push({ subject: message.subject, msgId, id: event.id, seq: event.seq });
    }
    return result;
  });
}

async function waitUntil(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(20);
  }
}

describe("createNatsPublisher", () => {
  it("keeps events in the outbox until the stream exists, then publishes them in order with msg ids", async () => {
    const publisher = startPublisher();
    const records = [];
    for (let i = 0; i < 5; i += 1)
      records.push(await outbox.append({ kind: "probe.verdict", payload: { i } }));
    await waitUntil("a failed publish was logged", () => logs.some((line) => line.level === "warn"));
    expect(outbox.cursor("hub")).toBe(0);

    await createStream();
    await waitUntil("the cursor caught up", () => outbox.cursor("hub") === 5);
    expect(await storedEvents()).toEqual(
      records.map((record) => ({
        subject: "mtx.v1.prod.n-1.events.probe.verdict",
        msgId: record.id,
        id: record.id,
        seq: BigInt(record.seq),
      })),
    );
    expect(publisher.status()).toMatchObject({
      state: "connected",
      published: 5,
      deliveredSeq: 5,
      dropped: 0,
    });
  });

  it("skips an event the stream can never take and delivers the ones after it", async () => {
    await createStream(400);
    const publisher = startPublisher();
    const small = await outbox.append({ kind: "a", payload: {} });
    const big = await outbox.append({ kind: "a", payload: { text: "x".repeat(1_000) } });
    const after = await outbox.append({ kind: "a", payload: {} });

    await waitUntil("the cursor passed all three", () => outbox.cursor("hub") === 3);
    expect((await storedEvents()).map((stored) => stored.id)).toEqual([small.id, after.id]);
    expect(publisher.status()).toMatchObject({ published: 2, dropped: 1 });
    expect(logs.filter((line) => line.level === "error")).toEqual([
      expect.objectContaining({
        message: "event can never be published to NATS; skipped",
        fields: expect.objectContaining({ eventId: big.id, seq: 2 }),
      }),
    ]);
  });

  it("starts before the broker is reachable and delivers once it is", async () => {
    await createStream();
    await nats.stop();
    const publisher = startPublisher();
    await outbox.append({ kind: "a", payload: {} });
    expect(publisher.status().state).toBe("connecting");
    await nats.start();
    await waitUntil("the event was delivered", () => outbox.cursor("hub") === 1);
    expect(publisher.status()).toMatchObject({ state: "connected", published: 1 });
  });

  it("stops while the first connection is still pending", async () => {
    await nats.stop();
    const publisher = startPublisher();
    await publisher.stop();
    expect(publisher.status().state).toBe("closed");
  });

  it("publishes telemetry latest-wins on the node's subject, filling in the node reference", async () => {
    const received: bigint[] = [];
    let sequence = 0n;
    await withClient(async (nc) => {
      const subscription = nc.subscribe(telemetrySubject({ environment: "prod", nodeId: "n-1" }), {
        callback: (_, msg) => {
          const telemetry = fromBinary(TelemetrySchema, msg.data);
          expect(telemetry.node).toMatchObject({ nodeId: "n-1", environment: Environment.PROD });
          received.push(telemetry.sequence);
        },
      });
      await nc.flush();
      const publisher = startPublisher({
        telemetry: () => create(TelemetrySchema, { sequence: ++sequence }),
        telemetryIntervalMs: 10,
      });
      await waitUntil("three telemetry messages arrived", () => received.length >= 3);
      await publisher.stop();
      await nc.flush();
      subscription.unsubscribe();
    });
    expect(received).toEqual(Array.from({ length: Number(sequence) }, (_, i) => BigInt(i + 1)));
  });
});
