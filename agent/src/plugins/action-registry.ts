import { type ActionContext, type ActionHandler, MtxError, type PluginActions } from "@mtx-fleet/plugin-api";
import type { BoardScope } from "../streams/stream-board-registry.ts";

/** Action names: dotted lower-case words, `<plugin>.<verb>` by convention. */
const ACTION_NAME = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/;

interface Registered {
  readonly plugin: string;
  readonly handler: ActionHandler;
  readonly signal: AbortSignal;
}

/**
 * The actions plugins offer (`ctx.actions`), invoked by hub commands and agent components. An
 * action belongs to one plugin run: it disappears when that run ends, and its signal aborts.
 */
export class ActionRegistry {
  readonly #actions = new Map<string, Registered>();

  forPlugin(plugin: string, scope: BoardScope & { readonly signal: AbortSignal }): PluginActions {
    return {
      register: (name, handler) => {
        if (!ACTION_NAME.test(name)) {
          throw new MtxError("MTX_INVALID_INPUT", `action name '${name}' must be dotted lower-case words`, {
            details: { action: name, plugin },
          });
        }
        const held = this.#actions.get(name);
        if (held !== undefined && held.plugin !== plugin) {
          throw new MtxError(
            "MTX_INVALID_INPUT",
            `action '${name}' is already offered by plugin '${held.plugin}'`,
            {
              details: { action: name, plugin, heldBy: held.plugin },
            },
          );
        }
        const entry = { plugin, handler, signal: scope.signal };
        this.#actions.set(name, entry);
        scope.add(() => {
          if (this.#actions.get(name) === entry) this.#actions.delete(name);
        });
      },
    };
  }

  /** Names of the actions offered right now. */
  names(): readonly string[] {
    return [...this.#actions.keys()].sort();
  }

  /**
   * Runs an action. No such action (its plugin is not running) → MTX_UNAVAILABLE; a throw comes
   * back as an MtxError (MTX_PLUGIN_FAILED unless it already has a code).
   */
  async invoke(name: string, input: unknown, ctx: ActionContext): Promise<unknown> {
    const action = this.#actions.get(name);
    if (action === undefined) {
      throw new MtxError("MTX_UNAVAILABLE", `no running plugin offers action '${name}'`, {
        details: { action: name, offered: this.names() },
      });
    }
    const signal = AbortSignal.any([ctx.signal, action.signal]);
    try {
      return await action.handler(input, { ...ctx, signal });
    } catch (error) {
      throw MtxError.from(error, "MTX_PLUGIN_FAILED");
    }
  }
}
