import { chmod, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { WRAPPER_MAIN } from "./run-wrapper-process.ts";

/** Options of `installHookShim`. */
export interface InstallHookShimOptions {
  /** Where the `mtx-hook` shim is written; it goes first on the returned PATH. */
  readonly binDir: string;
  /** The hooks plugin's directory in the agent's data dir (`<dataDir>/plugins/hooks`). */
  readonly hooksDir: string;
  /** The URL the hooks plugin's receiver listens on. */
  readonly receiverUrl: string;
}

/**
 * Writes an `mtx-hook` shim that runs the wrapper from source and returns the environment for a
 * MediaMTX (simulator) whose hook snippet calls `mtx-hook`: the shim on PATH and the wrapper's
 * receiver URL, token file and spool dir, as deploy/mediamtx's unit sets them.
 */
export async function installHookShim(options: InstallHookShimOptions): Promise<NodeJS.ProcessEnv> {
  const shim = join(options.binDir, "mtx-hook");
  await writeFile(shim, `#!/bin/sh\nexec "${process.execPath}" "${WRAPPER_MAIN}" "$@"\n`);
  await chmod(shim, 0o755);
  return {
    ...process.env,
    PATH: `${options.binDir}:${process.env.PATH ?? ""}`,
    MTX_HOOK_URL: options.receiverUrl,
    MTX_HOOK_TOKEN_FILE: join(options.hooksDir, "token"),
    MTX_HOOK_SPOOL_DIR: join(options.hooksDir, "spool"),
  };
}
