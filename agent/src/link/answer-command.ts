import type { JsonObject, MessageInitShape } from "@bufbuild/protobuf";
import { timestampMs } from "@bufbuild/protobuf/wkt";
import { MtxError } from "@mtx-fleet/plugin-api";
import type { Command, CommandResultSchema } from "@mtx-fleet/proto";
import type { CommandContext, CommandHandlers } from "./link-client-options.ts";

/** A result as sent on the session. */
export type CommandResultInit = MessageInitShape<typeof CommandResultSchema>;

/** Deadline assumed for a command that carries none. */
export const DEFAULT_COMMAND_DEADLINE_MS = 30_000;
/** The answer leaves this much before the deadline at most, so it arrives in time. */
const MAX_ANSWER_MARGIN_MS = 1_000;

/**
 * Runs the handler of a command and builds its result. Every command is answered: an unknown
 * kind with MTX_INVALID_INPUT, a throw with its MtxError, a handler still running shortly
 * before the deadline with MTX_LINK_TIMEOUT (its signal is aborted then).
 */
export async function answerCommand(
  command: Command,
  handlers: CommandHandlers,
  options: { readonly now: () => number; readonly signal: AbortSignal },
): Promise<CommandResultInit> {
  const commandId = command.id;
  const { kind } = command;
  const handler = kind.case === undefined ? undefined : (handlers[kind.case] as UntypedHandler | undefined);
  if (kind.case === undefined || handler === undefined) {
    return failed(
      commandId,
      new MtxError(
        "MTX_INVALID_INPUT",
        `this agent does not handle command kind '${kind.case ?? "unknown"}'`,
        {
          details: { kind: kind.case ?? "unknown", supported: Object.keys(handlers) },
        },
      ),
    );
  }
  const now = options.now();
  const deadlineMs =
    command.deadline === undefined ? now + DEFAULT_COMMAND_DEADLINE_MS : timestampMs(command.deadline);
  const remainingMs = deadlineMs - now;
  const answerInMs = Math.max(0, remainingMs - Math.min(MAX_ANSWER_MARGIN_MS, Math.max(0, remainingMs) / 10));
  const due = new AbortController();
  const ctx: CommandContext = {
    commandId,
    deadlineMs,
    signal: AbortSignal.any([options.signal, due.signal]),
  };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CommandResultInit>((resolve) => {
    timer = setTimeout(() => {
      resolve(
        failed(
          commandId,
          new MtxError("MTX_LINK_TIMEOUT", `command ${kind.case} did not finish before its deadline`, {
            details: { commandId, kind: kind.case, deadlineMs },
          }),
        ),
      );
    }, answerInMs);
  });
  const run = (async (): Promise<CommandResultInit> => {
    const value = await handler(kind.value, ctx);
    return { commandId, outcome: { case: "ok", value: value ?? {} } };
  })().catch((error: unknown) => failed(commandId, MtxError.from(error, "MTX_INTERNAL")));
  try {
    return await Promise.race([run, timeout]);
  } finally {
    clearTimeout(timer);
    due.abort();
  }
}

type UntypedHandler = (
  command: unknown,
  ctx: CommandContext,
) => Promise<JsonObject | undefined> | JsonObject | undefined;

function failed(commandId: string, error: MtxError): CommandResultInit {
  const details = toJsonObject(error.details);
  return {
    commandId,
    outcome: {
      case: "error",
      value: { code: error.code, message: error.message, ...(details && { details }) },
    },
  };
}

function toJsonObject(details: Readonly<Record<string, unknown>> | undefined): JsonObject | undefined {
  if (details === undefined) return undefined;
  try {
    return JSON.parse(JSON.stringify(details)) as JsonObject;
  } catch {
    return undefined; // not JSON (bigint, cycle): the code and message still go out
  }
}
