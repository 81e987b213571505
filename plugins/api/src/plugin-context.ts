import type { Clock } from "./clock.ts";
import type { EventBus } from "./event-bus.ts";
import type { EventJournal } from "./event-journal.ts";
import type { Logger } from "./logger.ts";
import type { MediaMtxAccess } from "./mediamtx-access.ts";
import type { PluginActions } from "./plugin-actions.ts";
import type { PluginHttp } from "./plugin-http.ts";
import type { PluginMetrics } from "./plugin-metrics.ts";
import type { PluginStore } from "./plugin-store.ts";
import type { Scheduler } from "./scheduler.ts";
import type { StreamBoard } from "./stream-health.ts";

/** Who this agent is, as far as a plugin needs to know. */
export interface NodeIdentity {
  readonly id: string;
  readonly name: string;
}

/**
 * Everything a plugin may use, scoped to it: whatever it registers through the context
 * (listeners, timers, metrics) is removed by the host when the plugin stops, and `signal`
 * aborts at that moment.
 */
export interface PluginContext {
  readonly node: NodeIdentity;
  readonly logger: Logger;
  readonly metrics: PluginMetrics;
  readonly store: PluginStore;
  /** In-process, fire-and-forget notifications between plugins (lost on a crash). */
  readonly events: EventBus;
  /** Durable events for the operator and the hub (survive crashes and hub outages). */
  readonly journal: EventJournal;
  /** Stream health and own readers, for the local API and the hub's telemetry. */
  readonly streams: StreamBoard;
  /** Named operations this plugin offers to hub commands and the agent. */
  readonly actions: PluginActions;
  readonly scheduler: Scheduler;
  readonly clock: Clock;
  readonly http: PluginHttp;
  readonly mediamtx: MediaMtxAccess;
  /**
   * A directory of this plugin's own (`<agent dataDir>/plugins/<name>`), created by the host
   * before `setup`: for files too big or too many for `store` (thumbnails, spools). It is kept
   * across restarts; the plugin bounds what it writes there.
   */
  readonly dataDir: string;
  /** Aborted when the plugin is stopped or restarted; pass it to every long operation. */
  readonly signal: AbortSignal;
}
