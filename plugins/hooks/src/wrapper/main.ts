#!/usr/bin/env node
// mtx-hook <event>: what MediaMTX runs for each hook (runOnReady → `mtx-hook ready`, …). It
// POSTs the hook's variables to the agent's hook receiver and spools them when the agent does
// not store them, so no hook is lost. Only node: built-ins are loaded: it starts once per hook.
import { runWrapper } from "./run-wrapper.ts";

// MediaMTX stops a running hook with SIGINT to its process group (e.g. runOnReady when the
// stream goes away a moment later). The POST or the spool write is bounded by the timeout, so
// finishing it loses nothing and ends soon; dying on the signal would lose the event.
process.on("SIGINT", () => {});
process.on("SIGTERM", () => {});

const code = await runWrapper(process.argv.slice(2), {
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
// Writes to pipes and files are synchronous on Linux, so exiting now drops no log line.
process.exit(code);
