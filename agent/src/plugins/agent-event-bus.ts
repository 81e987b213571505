import type { EventBus, Logger, MtxEventName, MtxEvents } from "@mtx-fleet/plugin-api";
import type { PluginScope } from "./plugin-scope.ts";

type Handler = (payload: never) => void | Promise<void>;
type ErrorSink = (error: unknown) => void;

/**
 * The agent's in-process bus. Delivery is asynchronous (a slow or throwing handler never
 * blocks the emitter) and each handler's errors go to its owner's error sink.
 */
export class AgentEventBus implements EventBus {
  readonly #handlers = new Map<string, Set<{ handler: Handler; onError: ErrorSink }>>();
  readonly #logger: Logger;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  emit<K extends MtxEventName>(name: K, payload: MtxEvents[K]): void {
    for (const entry of this.#handlers.get(name) ?? []) {
      queueMicrotask(() => {
        try {
          const result = (entry.handler as (p: MtxEvents[K]) => void | Promise<void>)(payload);
          if (result instanceof Promise) result.catch(entry.onError);
        } catch (error) {
          entry.onError(error);
        }
      });
    }
  }

  on<K extends MtxEventName>(name: K, handler: (payload: MtxEvents[K]) => void | Promise<void>): () => void {
    return this.#subscribe(name, handler as Handler, (error) =>
      this.#logger.error({ err: error, event: name }, "event handler failed"),
    );
  }

  /** The bus as a plugin sees it: subscriptions end with the scope, errors go to `onError`. */
  scoped(scope: PluginScope, onError: ErrorSink): EventBus {
    return {
      emit: (name, payload) => this.emit(name, payload),
      on: (name, handler) => {
        const off = this.#subscribe(name, handler as Handler, onError);
        const forget = scope.add(off);
        return () => {
          off();
          forget();
        };
      },
    };
  }

  /** Number of live subscriptions to `name` (for tests and diagnostics). */
  listenerCount(name: MtxEventName): number {
    return this.#handlers.get(name)?.size ?? 0;
  }

  #subscribe(name: string, handler: Handler, onError: ErrorSink): () => void {
    const entry = { handler, onError };
    let set = this.#handlers.get(name);
    if (set === undefined) {
      set = new Set();
      this.#handlers.set(name, set);
    }
    set.add(entry);
    return () => {
      set.delete(entry);
    };
  }
}
