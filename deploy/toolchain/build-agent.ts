// Bundles mtx-agent into one ESM file (agent/dist/mtx-agent.mjs): what a package installs as
// /usr/bin/mtx-agent; and the hook wrapper into agent/dist/mtx-hook.mjs (/usr/bin/mtx-hook). One file means no TypeScript stripping at start-up and far fewer modules
// in memory (measured by `npm run bench`: ~95 MB RSS bundled vs ~130 MB from source).
import { join } from "node:path";
import { build } from "esbuild";

const repo = join(import.meta.dirname, "..", "..");
export const AGENT_BUNDLE = join(repo, "agent", "dist", "mtx-agent.mjs");

/** Builds the agent bundle to `outfile` (default `agent/dist/mtx-agent.mjs`). */
export async function buildAgentBundle(outfile: string = AGENT_BUNDLE): Promise<string> {
  await build({
    entryPoints: [join(repo, "agent", "src", "main.ts")],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node22",
    logLevel: "warning",
    // Some dependencies are CommonJS and call require(); give the ESM bundle one.
    banner: {
      js: "import { createRequire as __mtxRequire } from 'node:module';\nconst require = __mtxRequire(import.meta.url);",
    },
  });
  return outfile;
}

export const HOOK_BUNDLE = join(repo, "agent", "dist", "mtx-hook.mjs");

/**
 * Builds the hook wrapper (`mtx-hook`, what MediaMTX runs per hook) into one ESM file: it
 * starts on every hook, and one file of node: built-ins only starts without TypeScript
 * stripping or module resolution (measured by `npm run bench`, next to a bare `node -e 0`).
 */
export async function buildHookBundle(outfile: string = HOOK_BUNDLE): Promise<string> {
  await build({
    entryPoints: [join(repo, "plugins", "hooks", "src", "wrapper", "main.ts")],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node22",
    logLevel: "warning",
    // The wrapper imports types only from the plugin API; anything more would be a regression.
    external: ["@mtx-fleet/*"],
  });
  return outfile;
}

if (import.meta.main) {
  console.log(`built ${await buildAgentBundle(process.argv[2])}`);
  console.log(`built ${await buildHookBundle(process.argv[3])}`);
}
