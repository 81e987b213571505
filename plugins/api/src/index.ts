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
export { httpStatusForCode } from "./http-status-for-code.ts";
export type { LogFn, Logger } from "./logger.ts";
export type { MediaMtxAccess } from "./mediamtx-access.ts";
export { MtxError, type MtxErrorBody, type MtxErrorDetails } from "./mtx-error.ts";
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
