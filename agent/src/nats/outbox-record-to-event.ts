import { create, type JsonObject } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import {
  type EnvironmentName,
  type Event,
  EventSchema,
  environmentFromName,
  HookReceivedSchema,
  NodeRefSchema,
  PathAvailabilitySchema,
  StreamRefSchema,
} from "@mtx-fleet/proto";
import type { OutboxRecord } from "../outbox/index.ts";

/** The node an agent speaks for, as it appears in subjects and event envelopes. */
export interface PublisherNode {
  /** The hub-issued node id. */
  readonly id: string;
  readonly environment: EnvironmentName;
  /** The display name, copied into `Event.node.name`. */
  readonly name?: string;
}

type EventPayload = Event["payload"];

/**
 * Turns an outbox record into the `mtx.v1.Event` envelope that NATS and gRPC carry: same id
 * (the dedupe key), the outbox `seq`, `occurredAt` (or the append time), the path as `stream`,
 * the request id, and the payload as a
 * typed case when it has exactly that message's shape, else as `json`. A payload that is not
 * a JSON object (an array, a string) is wrapped as `{ value: payload }`, since
 * `google.protobuf.Struct` holds objects only.
 */
export function outboxRecordToEvent(record: OutboxRecord, node: PublisherNode): Event {
  return create(EventSchema, {
    id: record.id,
    node: create(NodeRefSchema, {
      nodeId: node.id,
      name: node.name ?? "",
      environment: environmentFromName(node.environment),
    }),
    occurredAt: timestampFromMs(record.occurredAt ?? record.ts),
    kind: record.kind,
    // The hub derives the stream id from node and path itself (one node never names another's).
    ...(record.path === undefined
      ? {}
      : { stream: create(StreamRefSchema, { nodeId: node.id, pathName: record.path }) }),
    requestId: record.requestId ?? "",
    seq: BigInt(record.seq),
    payload: typedPayload(record.kind, record.payload) ?? { case: "json", value: jsonObject(record.payload) },
  });
}

function typedPayload(kind: string, payload: unknown): EventPayload | undefined {
  if (!isPlainObject(payload)) return undefined;
  switch (kind) {
    case "path.availability":
      return hasOnly(payload, { available: "boolean" }, { sourceType: "string", sourceId: "string" })
        ? { case: "pathAvailability", value: create(PathAvailabilitySchema, payload) }
        : undefined;
    case "hook.received":
      return hasOnly(payload, { hook: "string" }, { env: "object", envBase64: "object", origin: "string" }) &&
        isStringMap(payload.env ?? {}) &&
        isStringMap(payload.envBase64 ?? {})
        ? { case: "hookReceived", value: create(HookReceivedSchema, payload) }
        : undefined;
    default:
      return undefined;
  }
}

function isStringMap(value: unknown): boolean {
  return isPlainObject(value) && Object.values(value).every((field) => typeof field === "string");
}

/** True when `value` has every `required` key and otherwise only `optional` keys, of those types. */
function hasOnly(
  value: Record<string, unknown>,
  required: Readonly<Record<string, string>>,
  optional: Readonly<Record<string, string>>,
): boolean {
  const types = { ...optional, ...required };
  return (
    Object.keys(required).every((key) => key in value) &&
    Object.entries(value).every(([key, field]) => types[key] !== undefined && typeof field === types[key])
  );
}

function jsonObject(payload: unknown): JsonObject {
  // Outbox payloads went through JSON.stringify/parse, so they are JSON values already.
  return isPlainObject(payload) ? (payload as JsonObject) : ({ value: payload ?? null } as JsonObject);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
