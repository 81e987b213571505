import type { MediaMtxHookEvent } from "./mediamtx-hook-event.ts";

/**
 * The typed map of events on the agent's bus. Plugins add their own events by module
 * augmentation:
 * ```ts
 * declare module "@mtx-fleet/plugin-api" {
 *   interface MtxEvents { "probe.verdict": { path: string; verdict: "healthy" | "unhealthy" } }
 * }
 * ```
 */
export interface MtxEvents {
  /** A plugin changed state (emitted by the host). */
  "plugin.state": { readonly plugin: string; readonly state: string; readonly error?: string };
  /** A MediaMTX hook reached the agent (or was synthesised from the snapshot); already stored. */
  "mediamtx.hook": MediaMtxHookEvent;
}

/** The name of an event on the bus. */
export type MtxEventName = keyof MtxEvents & string;

/**
 * The in-process event bus. Handlers run asynchronously and are isolated: one throwing handler
 * is logged against its plugin and does not stop delivery to others. Subscriptions made through
 * a plugin's context are removed when the plugin stops.
 */
export interface EventBus {
  emit<K extends MtxEventName>(name: K, payload: MtxEvents[K]): void;
  on<K extends MtxEventName>(name: K, handler: (payload: MtxEvents[K]) => void | Promise<void>): () => void;
}
