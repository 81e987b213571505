export {
  DEFAULT_OUTBOX_MAX_AGE_MS,
  DEFAULT_OUTBOX_MAX_BYTES,
  DEFAULT_OUTBOX_RETENTION_INTERVAL_MS,
  DEFAULT_OUTBOX_SEGMENT_BYTES,
  type OutboxOptions,
  openOutbox,
} from "./open-outbox.ts";
export { DEFAULT_OUTBOX_CURSOR, Outbox } from "./outbox.ts";
export type {
  OutboxClock,
  OutboxConsumeOptions,
  OutboxEvent,
  OutboxReadOptions,
  OutboxRecentOptions,
  OutboxRecord,
  OutboxStats,
} from "./outbox-types.ts";
export {
  DEFAULT_OUTBOX_READ_LIMIT,
  DEFAULT_OUTBOX_READ_MAX_BYTES,
  DEFAULT_OUTBOX_RECENT_LIMIT,
} from "./segment-reader.ts";
export { createUuidV7Generator } from "./uuidv7.ts";
