import { toJson } from "@bufbuild/protobuf";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { type Event, EventSchema } from "@mtx-fleet/proto";
import type { EventRecord } from "../store/hub-records.ts";
import { streamIdFor } from "./stream-id-for.ts";

/** Why an event was not stored. */
export type EventRejection = { readonly kind: "rejected"; readonly id: string; readonly reason: string };

const EVENT_ID_MAX_LENGTH = 128;

/** The stored form of a received event, or why it cannot be stored. */
export function eventRecordOf(nodeId: string, event: Event, receivedAt: Date): EventRecord | EventRejection {
  const reject = (reason: string): EventRejection => ({ kind: "rejected", id: event.id, reason });
  if (event.id === "" || event.id.length > EVENT_ID_MAX_LENGTH) return reject("id is empty or too long");
  if (event.kind === "") return reject("kind is empty");
  if (event.node !== undefined && event.node.nodeId !== "" && event.node.nodeId !== nodeId) {
    return reject(`it names node ${event.node.nodeId}, not the sender`);
  }
  const json = toJson(EventSchema, event) as Record<string, unknown>;
  const payloadKey = event.payload.case;
  const pathName = event.stream?.pathName || null;
  return {
    id: event.id,
    nodeId,
    seq: Number(event.seq),
    kind: event.kind,
    occurredAt: (event.occurredAt === undefined ? receivedAt : timestampDate(event.occurredAt)).toISOString(),
    receivedAt: receivedAt.toISOString(),
    streamId: pathName === null ? null : streamIdFor(nodeId, pathName),
    pathName,
    requestId: event.requestId || null,
    payload: payloadKey === undefined ? null : { [payloadKey]: json[payloadKey] ?? null },
  };
}
