// The front door of @mtx-fleet/proto: the mtx.v1 contract types and the grpc-js adapter.
// The test-only mtx.testing.v1 service is deliberately not exported.

export type { AddServiceOptions } from "./add-service.ts";
export { addService } from "./add-service.ts";
export type { CallOptions } from "./call-options.ts";
export type { ClientMethod, CreateClientOptions, ServiceClient } from "./create-client.ts";
export { createClient, DEFAULT_UNARY_TIMEOUT_MS } from "./create-client.ts";
export {
  ERROR_DETAIL_METADATA_KEY,
  errorToGrpcStatus,
  INTERNAL_ERROR_MESSAGE,
} from "./error-to-grpc-status.ts";
export type { ErrorDetail } from "./gen/mtx/v1/error_detail_pb.ts";
export { ErrorDetailSchema, file_mtx_v1_error_detail } from "./gen/mtx/v1/error_detail_pb.ts";
export type { Event, HookReceived, PathAvailability } from "./gen/mtx/v1/event_pb.ts";
export {
  EventSchema,
  file_mtx_v1_event,
  HookReceivedSchema,
  PathAvailabilitySchema,
} from "./gen/mtx/v1/event_pb.ts";
export type {
  Command,
  CommandResult,
  EnrolRequest,
  EnrolResponse,
  EventAck,
  EventBatch,
  Heartbeat,
  Hello,
  ProbeCommand,
  ProbeUrlCommand,
  SessionRequest,
  SessionResponse,
  SyncCommand,
  ThumbnailCommand,
  Welcome,
} from "./gen/mtx/v1/link_pb.ts";
export {
  AgentLinkService,
  CommandResultSchema,
  CommandSchema,
  EnrolRequestSchema,
  EnrolResponseSchema,
  EventAckSchema,
  EventBatchSchema,
  HeartbeatSchema,
  HelloSchema,
  ProbeCommandSchema,
  ProbeUrlCommandSchema,
  SessionRequestSchema,
  SessionResponseSchema,
  SyncCommandSchema,
  ThumbnailCommandSchema,
  WelcomeSchema,
} from "./gen/mtx/v1/link_pb.ts";
export type { NodeRef, StreamRef } from "./gen/mtx/v1/refs_pb.ts";
export {
  Environment,
  EnvironmentSchema,
  file_mtx_v1_refs,
  NodeRefSchema,
  StreamRefSchema,
} from "./gen/mtx/v1/refs_pb.ts";
export type {
  HealthReason,
  HostMetrics,
  NodeStatus,
  PathStatus,
  StreamHealth,
  Telemetry,
} from "./gen/mtx/v1/telemetry_pb.ts";
export {
  HealthReasonSchema,
  HostMetricsSchema,
  NodeStatusSchema,
  PathStatusSchema,
  StreamHealthSchema,
  StreamVerdict,
  TelemetrySchema,
} from "./gen/mtx/v1/telemetry_pb.ts";
export { grpcErrorToMtxError } from "./grpc-error-to-mtx-error.ts";
export { GRPC_STATUS_FOR_CODE, grpcStatusForCode } from "./grpc-status-for-code.ts";
export {
  consumerName,
  DEFAULT_HUB_CONSUMER_NAME,
  decodeSubjectToken,
  type EnvironmentName,
  encodeSubjectToken,
  environmentFromName,
  environmentName,
  eventSubject,
  eventsFilterSubject,
  MAX_SUBJECT_TOKEN_LENGTH,
  MTX_EVENTS_STREAM,
  MTX_EVENTS_SUBJECT_FILTER,
  NATS_SUBJECT_ROOT,
  type ParsedSubject,
  parseSubject,
  type SubjectFilter,
  type SubjectNode,
  TELEMETRY_SUBJECT_FILTER,
  telemetryFilterSubject,
  telemetrySubject,
} from "./nats-subjects.ts";
export type { BidiStream } from "./open-bidi-stream.ts";
export type { MethodImpl, ServerCallContext, ServiceImpl } from "./service-impl.ts";
export { streamVerdictFromName, streamVerdictName } from "./stream-verdict-name.ts";
export type { ProtoMethodDefinition } from "./to-grpc-service-definition.ts";
export { toGrpcMethodDefinition, toGrpcServiceDefinition } from "./to-grpc-service-definition.ts";
