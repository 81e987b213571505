/** What an action handler knows besides its input. */
export interface ActionContext {
  /** Correlation id (the hub command id, or the local request id). */
  readonly requestId: string;
  /** Epoch ms by which the caller expects the answer. */
  readonly deadlineMs: number;
  /** Aborted at the deadline or when the plugin stops. */
  readonly signal: AbortSignal;
}

/** Runs an action; returns a JSON value, throws an MtxError to fail. */
export type ActionHandler = (input: unknown, ctx: ActionContext) => Promise<unknown> | unknown;

/**
 * Named operations a plugin offers to the hub (commands over the link, e.g. `probe.path`) and to
 * the rest of the agent. Names are global and dotted (`<plugin>.<verb>`); registering a name
 * that another running plugin holds throws MTX_INVALID_INPUT. Validate `input` in the handler:
 * it comes from outside. Actions vanish when the plugin stops.
 */
export interface PluginActions {
  register(name: string, handler: ActionHandler): void;
}
