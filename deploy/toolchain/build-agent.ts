// Bundles mtx-agent into one ESM file (agent/dist/mtx-agent.mjs): what a package installs as
// /usr/bin/mtx-agent. One file means no TypeScript stripping at start-up and far fewer modules
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

if (import.meta.main) {
  const out = await buildAgentBundle(process.argv[2]);
  console.log(`built ${out}`);
}
