import type { MediaMtxHook } from "@mtx-fleet/plugin-api";
import { HOOK_FIELD_VARS, type HookField, type SpoolFile } from "../hook-wire.ts";
import type { HookEnv } from "./read-hook-env.ts";

/**
 * The JSON body of one hook: its id and time, the seed-contract fields (`path`, `query`,
 * `sourceType`, `sourceId`, …) for the variables that are set and valid UTF-8, and every
 * variable itself. JSON.stringify escapes quotes, backslashes, control characters and newlines,
 * so no value can break out of its string; a value that is not UTF-8 travels as base64.
 */
export function buildHookBody(
  hook: MediaMtxHook,
  id: string,
  occurredAt: number,
  { env, envBase64 }: HookEnv,
): SpoolFile["event"] {
  const fields: { [F in HookField]?: string } = {};
  for (const [field, variable] of Object.entries(HOOK_FIELD_VARS) as [HookField, string][]) {
    const value = env[variable];
    if (value !== undefined) fields[field] = value;
  }
  return {
    id,
    hook,
    occurredAt,
    ...fields,
    env,
    ...(Object.keys(envBase64).length === 0 ? {} : { envBase64 }),
  };
}
