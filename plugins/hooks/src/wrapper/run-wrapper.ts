import { HOOK_ROUTE_PREFIX } from "../hook-defaults.ts";
import type { SpoolFile } from "../hook-wire.ts";
import { randomUUID, readFileSync } from "../node-builtins.ts";
import { spoolEvent } from "../spool-event.ts";
import { buildHookBody } from "./build-hook-body.ts";
import { type PostResult, postHook } from "./post-hook.ts";
import { readHookEnv, readRawEnvironment } from "./read-hook-env.ts";
import { parseWrapperArgs, WRAPPER_USAGE } from "./wrapper-options.ts";

/** `mtx-hook`'s exit codes (MediaMTX discards them on Linux; they are for people and tests). */
export const WRAPPER_EXIT = { delivered: 0, spooled: 1, usage: 2, lost: 3 } as const;

/** What a run touches outside itself, so tests can drive it in-process. */
export interface WrapperIo {
  readonly env: NodeJS.ProcessEnv;
  readonly rawEnvironment?: () => readonly Buffer[];
  readonly stdout: (text: string) => void;
  /** One JSON log line per call (MediaMTX copies a hook's stderr into its own output). */
  readonly stderr: (text: string) => void;
}

/**
 * One hook: read the variables, POST them to the agent, and when that does not end in a 2xx
 * (agent down, timeout, refused) spool the event so the agent replays it. Returns the exit code.
 */
export async function runWrapper(argv: readonly string[], io: WrapperIo): Promise<number> {
  // The moment the hook ran, as close to MediaMTX's exec as this process can tell.
  const occurredAt = Date.now();
  const args = parseWrapperArgs(argv, io.env);
  if (args.kind === "help") {
    io.stdout(`${WRAPPER_USAGE}\n`);
    return WRAPPER_EXIT.delivered;
  }
  if (args.kind === "usage-error") {
    io.stderr(`mtx-hook: ${args.message}\n${WRAPPER_USAGE}\n`);
    if (args.spool !== undefined) {
      const env = readHookEnv((io.rawEnvironment ?? readRawEnvironment)());
      const event = buildHookBody(args.spool.hook, randomUUID(), occurredAt, env);
      await spool(event, args.spool.spoolDir, `usage error: ${args.message}`, io);
    }
    return WRAPPER_EXIT.usage;
  }
  const { options } = args;
  const hookEnv = readHookEnv((io.rawEnvironment ?? readRawEnvironment)(), options.extraVars);
  const event = buildHookBody(options.hook, randomUUID(), occurredAt, hookEnv);

  const token = options.token ?? readToken(options.tokenFile);
  let reason: string;
  if (typeof token === "string") {
    const url = `${options.url}${HOOK_ROUTE_PREFIX}${options.hook}`;
    const result = await postHook(url, token, JSON.stringify(event), options.timeoutMs);
    if (result.kind === "stored") return WRAPPER_EXIT.delivered;
    reason = describe(result);
  } else reason = token.error;
  return (await spool(event, options.spoolDir, reason, io)) ? WRAPPER_EXIT.spooled : WRAPPER_EXIT.lost;
}

/** Spools an undelivered event and logs one JSON line about it; false when even that failed. */
async function spool(
  event: SpoolFile["event"],
  spoolDir: string,
  reason: string,
  io: WrapperIo,
): Promise<boolean> {
  const log = (level: number, msg: string, fields: Record<string, unknown>): void => {
    const line = { level, time: Date.now(), name: "mtx-hook", msg, hook: event.hook, id: event.id };
    const about = { path: event.path ?? null, code: "MTX_HOOK_UNDELIVERED", reason };
    io.stderr(`${JSON.stringify({ ...line, ...about, ...fields })}\n`);
  };
  try {
    const file = await spoolEvent(spoolDir, event, reason);
    log(40, "hook not delivered to the agent; spooled for replay", { spoolFile: file });
    return true;
  } catch (error) {
    log(50, "hook not delivered and not spooled: this event is LOST", {
      spoolDir,
      spoolError: (error as Error).message,
    });
    return false;
  }
}

function readToken(file: string): string | { readonly error: string } {
  try {
    const token = readFileSync(file, "utf8").trim();
    return token === "" ? { error: `token file ${file} is empty` } : token;
  } catch (error) {
    return { error: `token file ${file} unreadable (${(error as NodeJS.ErrnoException).code ?? error})` };
  }
}

function describe(result: Exclude<PostResult, { kind: "stored" }>): string {
  switch (result.kind) {
    case "refused":
      return `agent answered ${result.status} (${result.message})`;
    case "unreachable":
      return `agent unreachable (${result.message})`;
    case "timeout":
      return `no answer from the agent within ${result.timeoutMs} ms`;
    default:
      return result satisfies never;
  }
}
