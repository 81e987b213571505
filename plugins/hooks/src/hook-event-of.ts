import type { MediaMtxHookEvent } from "@mtx-fleet/plugin-api";
import type { ParsedHook } from "./parse-hook-body.ts";
import type { Synthesis } from "./reconciler.ts";
import { goQueryUnescape } from "./unescape-query.ts";

/** How the agent got a hook (`MediaMtxHookEvent.origin`). */
export type HookOrigin = MediaMtxHookEvent["origin"];

/** The payload of the `hook.received` journal event (the proto `HookReceived` shape). */
export interface HookReceivedPayload {
  readonly hook: string;
  readonly env: Readonly<Record<string, string>>;
  readonly envBase64?: Readonly<Record<string, string>>;
  readonly origin: HookOrigin;
}

/**
 * The bus event of a stored hook: the parsed fields, `MTX_QUERY` unescaped when MediaMTX
 * escaped it (an invalid escape keeps the value as it came), the segment duration as a number.
 */
export function hookEventOf(
  parsed: ParsedHook,
  stored: { readonly id: string; readonly occurredAt: number; readonly origin: HookOrigin },
  queryEscaped: (query: string) => boolean,
): MediaMtxHookEvent {
  const { fields } = parsed;
  const query =
    fields.query === null || !queryEscaped(fields.query) ? fields.query : goQueryUnescape(fields.query);
  const duration = fields.segmentDuration === null ? Number.NaN : Number(fields.segmentDuration);
  return Object.freeze({
    id: stored.id,
    hook: parsed.hook,
    path: fields.path,
    query: query ?? fields.query,
    sourceType: fields.sourceType,
    sourceId: fields.sourceId,
    readerType: fields.readerType,
    readerId: fields.readerId,
    connType: fields.connType,
    connId: fields.connId,
    segmentPath: fields.segmentPath,
    segmentDurationSeconds: Number.isFinite(duration) && duration >= 0 ? duration : null,
    env: parsed.env,
    ...(Object.keys(parsed.envBase64).length === 0 ? {} : { envBase64: parsed.envBase64 }),
    occurredAt: stored.occurredAt,
    origin: stored.origin,
  });
}

/** The journal payload of an event: what MediaMTX passed, untouched, and how it came. */
export function hookPayloadOf(event: MediaMtxHookEvent): HookReceivedPayload {
  return {
    hook: event.hook,
    env: event.env,
    ...(event.envBase64 === undefined ? {} : { envBase64: event.envBase64 }),
    origin: event.origin,
  };
}

/** The event of a hook the reconciler inferred: what the snapshot knows, nothing more. */
export function synthesizedEventOf(s: Synthesis, id: string): MediaMtxHookEvent {
  return Object.freeze({
    id,
    hook: s.hook,
    path: s.path,
    query: null,
    sourceType: s.sourceType,
    sourceId: s.sourceId,
    readerType: null,
    readerId: null,
    connType: null,
    connId: null,
    segmentPath: null,
    segmentDurationSeconds: null,
    env: Object.freeze({
      MTX_PATH: s.path,
      ...(s.sourceType === null ? {} : { MTX_SOURCE_TYPE: s.sourceType }),
      ...(s.sourceId === null ? {} : { MTX_SOURCE_ID: s.sourceId }),
    }),
    occurredAt: s.occurredAt,
    origin: "synthesized",
  });
}
