import { CAPTURE_GROUP_VARIABLE, HOOK_VARIABLES } from "../hook-wire.ts";
import { isUtf8, readFileSync } from "../node-builtins.ts";

/** The hook's variables, split by whether their bytes are valid UTF-8. */
export interface HookEnv {
  readonly env: Record<string, string>;
  /** Base64 of the exact bytes of values that are not valid UTF-8. */
  readonly envBase64: Record<string, string>;
}

/**
 * The process environment as raw `NAME=value` byte strings. Node's `process.env` decodes
 * values lossily (invalid UTF-8 becomes U+FFFD), so on Linux the bytes are read from
 * `/proc/self/environ`; elsewhere `process.env` is the best there is.
 */
export function readRawEnvironment(): readonly Buffer[] {
  let raw: Buffer;
  try {
    raw = readFileSync("/proc/self/environ");
  } catch {
    return Object.entries(process.env).map(([name, value]) => Buffer.from(`${name}=${value ?? ""}`, "utf8"));
  }
  const entries: Buffer[] = [];
  let start = 0;
  for (let i = raw.indexOf(0); i !== -1; i = raw.indexOf(0, start)) {
    if (i > start) entries.push(raw.subarray(start, i));
    start = i + 1;
  }
  if (start < raw.length) entries.push(raw.subarray(start));
  return entries;
}

/**
 * Picks the hook variables (`HOOK_VARIABLES`, `G1`…, plus `extraNames`) out of the raw
 * environment. Names are ASCII by construction; each value goes to `env` when it is valid
 * UTF-8 and to `envBase64` otherwise, so no byte is changed on the way.
 */
export function readHookEnv(
  entries: readonly Buffer[] = readRawEnvironment(),
  extraNames: readonly string[] = [],
): HookEnv {
  const wanted = new Set([...HOOK_VARIABLES, ...extraNames]);
  const env: Record<string, string> = {};
  const envBase64: Record<string, string> = {};
  for (const entry of entries) {
    const eq = entry.indexOf(0x3d); // "="
    if (eq <= 0) continue;
    const name = entry.subarray(0, eq).toString("latin1");
    if (!wanted.has(name) && !CAPTURE_GROUP_VARIABLE.test(name)) continue;
    const value = entry.subarray(eq + 1);
    if (isUtf8(value)) env[name] = value.toString("utf8");
    else envBase64[name] = value.toString("base64");
  }
  return { env, envBase64 };
}
