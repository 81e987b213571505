// The agent end of the link: enrolment, the Session to the hub (heartbeats, commands, events
// and telemetry over gRPC when no NATS is configured), reconnecting forever.

export { answerCommand, type CommandResultInit, DEFAULT_COMMAND_DEADLINE_MS } from "./answer-command.ts";
export { backoffDelayMs, DEFAULT_BACKOFF_BASE_MS, DEFAULT_BACKOFF_MAX_MS } from "./backoff-delay.ts";
export {
  createLinkClient,
  DEFAULT_TELEMETRY_INTERVAL_MS,
  DEFAULT_UNAUTHORIZED_RETRY_MS,
  DEFAULT_WELCOME_TIMEOUT_MS,
  type LinkClient,
} from "./create-link-client.ts";
export { EVENT_BATCH_LIMIT, EVENT_BATCH_MAX_BYTES } from "./event-pump.ts";
export { LINK_CLIENT_CHANNEL_OPTIONS } from "./link-client-channel-options.ts";
export {
  type BackoffOptions,
  type CommandBody,
  type CommandContext,
  type CommandHandler,
  type CommandHandlers,
  type CommandKind,
  type CredentialStore,
  type EventInit,
  type HelloFields,
  LINK_CLIENT_STATES,
  type LinkClientOptions,
  type LinkClientState,
  type LinkClientTls,
  type TelemetryInit,
} from "./link-client-options.ts";
export { outboxRecordToEvent } from "./outbox-record-to-event.ts";
