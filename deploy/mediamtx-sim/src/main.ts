#!/usr/bin/env node
import { mkdirSync } from "node:fs";
import { ConfError } from "./config/conf-error.ts";
import { createLogger } from "./log/create-logger.ts";
import { parseArgs } from "./parse-args.ts";
import { Simulator } from "./simulator.ts";

const log = createLogger({ bindings: { name: "mediamtx-sim" } });
let sim: Simulator | undefined;
let exiting = false;

async function shutdown(code: number, reason: string): Promise<void> {
  if (exiting) return;
  exiting = true;
  log.info({ reason, code }, "shutting down");
  await sim?.stop().catch((e: unknown) => log.error({ err: String(e) }, "stop failed"));
  process.exit(code);
}

try {
  const options = parseArgs(process.argv.slice(2));
  mkdirSync(options.workDir, { recursive: true });
  process.chdir(options.workDir);
  sim = await Simulator.start(options, log, (code, reason) => {
    log.error({ reason }, reason);
    void shutdown(code, reason);
  });
  process.stdout.write(`${JSON.stringify(sim.readyLine())}\n`);
  log.info({ ...sim.readyLine() }, "simulator ready");
} catch (e) {
  // Like MediaMTX: a bad config at startup logs `ERR: ...` and exits 1.
  log.error({ err: e instanceof ConfError ? e.message : String(e) }, `ERR: ${(e as Error).message}`);
  process.exit(1);
}

process.on("SIGINT", () => void shutdown(0, "SIGINT"));
process.on("SIGTERM", () => void shutdown(0, "SIGTERM"));
