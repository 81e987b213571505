import type { MediaMtxHook } from "@mtx-fleet/plugin-api";
import {
  DEFAULT_RECEIVER_URL,
  DEFAULT_SPOOL_DIR,
  DEFAULT_TOKEN_FILE,
  DEFAULT_WRAPPER_TIMEOUT_MS,
} from "../hook-defaults.ts";
import { isHookName, WRAPPER_HOOKS } from "../hook-wire.ts";
import { parseArgs } from "../node-builtins.ts";

/** What one `mtx-hook` run needs, from its flags over its environment over the defaults. */
export interface WrapperOptions {
  readonly hook: MediaMtxHook;
  /** The receiver's base URL, e.g. `http://127.0.0.1:9811`. */
  readonly url: string;
  /** The token itself (`MTX_HOOK_TOKEN`), else read from `tokenFile`. */
  readonly token: string | undefined;
  readonly tokenFile: string;
  readonly spoolDir: string;
  readonly timeoutMs: number;
  /** Variables to forward besides the known hook variables (`--var NAME`). */
  readonly extraVars: readonly string[];
}

/** The result of reading the command line. */
export type WrapperArgs =
  | { readonly kind: "run"; readonly options: WrapperOptions }
  | { readonly kind: "help" }
  | {
      readonly kind: "usage-error";
      readonly message: string;
      /** Where the event still goes when the hook is known but a setting is wrong. */
      readonly spool?: { readonly hook: MediaMtxHook; readonly spoolDir: string };
    };

export const WRAPPER_USAGE = `usage: mtx-hook <event> [--url URL] [--token-file FILE] [--spool-dir DIR] [--timeout-ms N] [--var NAME]...
events: ${WRAPPER_HOOKS.join(", ")}
environment: MTX_HOOK_URL (default ${DEFAULT_RECEIVER_URL}), MTX_HOOK_TOKEN_FILE (default ${DEFAULT_TOKEN_FILE}),
  MTX_HOOK_TOKEN, MTX_HOOK_SPOOL_DIR (default ${DEFAULT_SPOOL_DIR}), MTX_HOOK_TIMEOUT_MS (default ${DEFAULT_WRAPPER_TIMEOUT_MS})
exit: 0 delivered, 1 not delivered but spooled, 2 usage error (spooled when the event is known), 3 lost`;

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Reads `mtx-hook`'s arguments; flags win over `MTX_HOOK_*` variables, which win over defaults. */
export function parseWrapperArgs(argv: readonly string[], env: NodeJS.ProcessEnv): WrapperArgs {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    return { kind: "usage-error", message: (error as Error).message };
  }
  const { values, positionals } = parsed;
  if (values.help === true) return { kind: "help" };
  const [hook, ...rest] = positionals;
  if (hook === undefined) return { kind: "usage-error", message: "name the event, e.g. 'mtx-hook ready'" };
  if (!isHookName(hook)) return { kind: "usage-error", message: `unknown event '${hook}'` };
  const spoolDir = values["spool-dir"] ?? nonEmpty(env.MTX_HOOK_SPOOL_DIR) ?? DEFAULT_SPOOL_DIR;
  // A wrong setting in mediamtx.yml or MediaMTX's environment must not lose the hook.
  const usage = (message: string): WrapperArgs => ({
    kind: "usage-error",
    message,
    spool: { hook, spoolDir },
  });
  if (rest.length > 0) return usage(`unexpected argument '${rest[0]}'`);
  const timeoutText = values["timeout-ms"] ?? env.MTX_HOOK_TIMEOUT_MS ?? String(DEFAULT_WRAPPER_TIMEOUT_MS);
  const timeoutMs = Number(timeoutText);
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > 60_000) {
    return usage(`timeout must be 1..60000 ms, not '${timeoutText}'`);
  }
  const extraVars = values.var ?? [];
  const badVar = extraVars.find((name) => !VARIABLE_NAME.test(name));
  if (badVar !== undefined) return usage(`--var '${badVar}' is not a variable name`);
  const url = (values.url ?? nonEmpty(env.MTX_HOOK_URL) ?? DEFAULT_RECEIVER_URL).replace(/\/+$/, "");
  if (!/^http:\/\/[^/]+$/.test(url)) {
    return usage(`the agent URL must be http://host:port, not '${url}'`);
  }
  return {
    kind: "run",
    options: {
      hook,
      url,
      token: nonEmpty(env.MTX_HOOK_TOKEN),
      tokenFile: values["token-file"] ?? nonEmpty(env.MTX_HOOK_TOKEN_FILE) ?? DEFAULT_TOKEN_FILE,
      spoolDir,
      timeoutMs,
      extraVars,
    },
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      url: { type: "string" },
      "token-file": { type: "string" },
      "spool-dir": { type: "string" },
      "timeout-ms": { type: "string" },
      var: { type: "string", multiple: true },
      help: { type: "boolean", short: "h" },
    },
  });
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}
