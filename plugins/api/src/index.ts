export type { Static, TSchema } from "typebox";
export { Type } from "typebox";
export type { Clock } from "./clock.ts";
export { type ConfigIssue, configJsonSchema, parseConfig } from "./config-schema.ts";
export {
  definePlugin,
  type PluginDefinition,
  type PluginHealth,
  type PluginInstance,
  type PluginManifest,
} from "./define-plugin.ts";
export { ERROR_CODES, type MtxErrorCode } from "./error-codes.ts";
export type { EventBus, MtxEventName, MtxEvents } from "./event-bus.ts";
export type { EventJournal, JournalEvent, JournalRecord } from "./event-journal.ts";
export { httpStatusForCode } from "./http-status-for-code.ts";
export type { LogFn, Logger } from "./logger.ts";
export type { MediaMtxAccess } from "./mediamtx-access.ts";
export { MEDIAMTX_HOOKS, type MediaMtxHook, type MediaMtxHookEvent } from "./mediamtx-hook-event.ts";
export { MtxError, type MtxErrorBody, type MtxErrorDetails } from "./mtx-error.ts";
export type { ActionContext, ActionHandler, PluginActions } from "./plugin-actions.ts";
export { PLUGIN_API_VERSION } from "./plugin-api-version.ts";
export type { NodeIdentity, PluginContext } from "./plugin-context.ts";
export type {
  PluginHttp,
  PluginHttpRequest,
  PluginHttpResponse,
  PluginRouteHandler,
} from "./plugin-http.ts";
export type {
  Counter,
  Gauge,
  Histogram,
  MetricLabels,
  MetricSpec,
  PluginMetrics,
} from "./plugin-metrics.ts";
export type { PluginStore } from "./plugin-store.ts";
export type { EveryOptions, ScheduledTask, Scheduler } from "./scheduler.ts";
export {
  type HealthReason,
  STREAM_VERDICTS,
  type StreamBoard,
  type StreamHealth,
  type StreamVerdict,
} from "./stream-health.ts";
