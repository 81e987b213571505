import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import {
  Environment,
  EventSchema,
  HookReceivedSchema,
  NodeRefSchema,
  PathAvailabilitySchema,
  StreamRefSchema,
} from "@mtx-fleet/proto";
import { describe, expect, it } from "vitest";
import type { OutboxRecord } from "../outbox/index.ts";
import { outboxRecordToEvent } from "./outbox-record-to-event.ts";

const NODE = { id: "n-1", environment: "staging", name: "Cam site" } as const;

function record(kind: string, payload: unknown, extra: Partial<OutboxRecord> = {}): OutboxRecord {
  return { id: "id-1", seq: 42, ts: 1_700_000_000_000, kind, payload, ...extra };
}

describe("outboxRecordToEvent", () => {
  it("builds the whole envelope: id, node, seq, occurredAt and a JSON payload", () => {
    expect(outboxRecordToEvent(record("probe.verdict", { verdict: "healthy", n: 1 }), NODE)).toEqual(
      create(EventSchema, {
        id: "id-1",
        node: create(NodeRefSchema, { nodeId: "n-1", name: "Cam site", environment: Environment.STAGING }),
        occurredAt: timestampFromMs(1_700_000_000_000),
        kind: "probe.verdict",
        seq: 42n,
        payload: { case: "json", value: { verdict: "healthy", n: 1 } },
      }),
    );
  });

  it("carries the path as the stream and the request id for correlation", () => {
    const event = outboxRecordToEvent(
      record("probe.verdict", {}, { path: "cam/1", requestId: "req-9" }),
      NODE,
    );
    expect([event.stream, event.requestId]).toEqual([
      create(StreamRefSchema, { nodeId: "n-1", pathName: "cam/1" }),
      "req-9",
    ]);
  });

  it("prefers the producer's occurredAt over the append time", () => {
    const event = outboxRecordToEvent(record("x", {}, { occurredAt: 1_600_000_000_500 }), NODE);
    expect(event.occurredAt).toEqual(timestampFromMs(1_600_000_000_500));
  });

  it.each([
    ["an array", [1, 2], { value: [1, 2] }],
    ["a string", "text", { value: "text" }],
    ["null", null, { value: null }],
  ])("wraps %s payload as { value }", (_, payload, json) => {
    expect(outboxRecordToEvent(record("x", payload), NODE).payload).toEqual({ case: "json", value: json });
  });

  it("uses the typed cases when the payload has exactly their shape", () => {
    expect(
      outboxRecordToEvent(record("path.availability", { available: true, sourceType: "rtspSession" }), NODE)
        .payload,
    ).toEqual({
      case: "pathAvailability",
      value: create(PathAvailabilitySchema, { available: true, sourceType: "rtspSession" }),
    });
    expect(
      outboxRecordToEvent(record("hook.received", { hook: "runOnReady", env: { MTX_PATH: "cam1" } }), NODE)
        .payload,
    ).toEqual({
      case: "hookReceived",
      value: create(HookReceivedSchema, { hook: "runOnReady", env: { MTX_PATH: "cam1" } }),
    });
    const spooled = {
      hook: "ready",
      env: { MTX_PATH: "cam1" },
      envBase64: { MTX_QUERY: "/w==" },
      origin: "spool",
    };
    expect(outboxRecordToEvent(record("hook.received", spooled), NODE).payload).toEqual({
      case: "hookReceived",
      value: create(HookReceivedSchema, spooled),
    });
  });

  it.each([
    ["an extra field", "path.availability", { available: true, extra: 1 }],
    ["a missing field", "path.availability", { sourceType: "x" }],
    ["a wrong type", "path.availability", { available: "yes" }],
    ["a non-string env value", "hook.received", { hook: "runOnReady", env: { N: 1 } }],
    ["a non-string envBase64 value", "hook.received", { hook: "ready", envBase64: { N: true } }],
  ])("keeps JSON when a built-in kind has %s (nothing is lost)", (_, kind, payload) => {
    expect(outboxRecordToEvent(record(kind, payload), NODE).payload).toEqual({
      case: "json",
      value: payload,
    });
  });
});
