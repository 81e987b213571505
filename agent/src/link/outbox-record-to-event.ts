import type { JsonObject } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import type { NodeRef } from "@mtx-fleet/proto";
import type { OutboxRecord } from "../outbox/index.ts";
import type { EventInit } from "./link-client-options.ts";

/**
 * The default envelope of an outbox record: id, kind and seq as stored, `occurredAt` from the
 * producer (else the append time), the payload as JSON (a non-object payload as `{ value }`).
 */
export function outboxRecordToEvent(record: OutboxRecord, node: NodeRef): EventInit {
  const { payload } = record;
  const json: JsonObject | undefined =
    payload === undefined || payload === null
      ? undefined
      : isPlainObject(payload)
        ? (payload as JsonObject)
        : ({ value: payload } as unknown as JsonObject);
  return {
    id: record.id,
    node,
    occurredAt: timestampFromMs(record.occurredAt ?? record.ts),
    kind: record.kind,
    seq: BigInt(record.seq),
    ...(json && { payload: { case: "json", value: json } }),
  };
}

function isPlainObject(value: unknown): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
