import type { JsonObject } from "@bufbuild/protobuf";
import type { ActionRegistry } from "../plugins/action-registry.ts";
import type { CommandBody, CommandContext, CommandHandler, CommandKind } from "./link-client-options.ts";

/**
 * A hub command answered by a plugin's action (e.g. `probe` → `probe.path`): the command id is
 * the request id, the command's deadline and signal carry over, and a result that is not a JSON
 * object is wrapped as `{ value }` (a command result is a `google.protobuf.Struct`).
 */
export function actionCommand<K extends CommandKind>(
  actions: ActionRegistry,
  name: string,
  input: (command: CommandBody<K>) => unknown,
): CommandHandler<K> {
  return async (command: CommandBody<K>, ctx: CommandContext): Promise<JsonObject> => {
    const result = await actions.invoke(name, input(command), {
      requestId: ctx.commandId,
      deadlineMs: ctx.deadlineMs,
      signal: ctx.signal,
    });
    const json: unknown = JSON.parse(JSON.stringify(result ?? null));
    return typeof json === "object" && json !== null && !Array.isArray(json)
      ? (json as JsonObject)
      : { value: json as JsonObject[string] };
  };
}
