// Child process of the fleet benchmark: runs many real link clients (`createLinkClient`, the
// agent's own code) that enrol and send full telemetry over the gRPC session. Several of these
// share the load so one process's event loop is not the bottleneck. Prints one JSON line of
// counts per second on stdout; exits on SIGTERM.
import { readFile } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { createLinkClient, type LinkClient } from "@mtx-fleet/agent";
import type { Logger } from "@mtx-fleet/plugin-api";
import { simulatedTelemetry } from "./simulated-telemetry.ts";

/** What the parent writes to the file named by argv[2]. */
export interface SimulatedAgentsWork {
  readonly hubUrl: string;
  readonly enrolTokens: readonly string[];
  readonly paths: number;
  readonly intervalMs: number;
  /** Clients start spread over this, so their telemetry ticks are spread too. */
  readonly spreadMs: number;
}

const silent: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  child: () => silent,
};

const work = JSON.parse(await readFile(String(process.argv[2]), "utf8")) as SimulatedAgentsWork;
let connected = 0;
let telemetryBuilt = 0;
let failures = 0;
const clients: LinkClient[] = [];

const report = () =>
  process.stdout.write(
    `${JSON.stringify({ clients: clients.length, connected, telemetryBuilt, failures })}\n`,
  );
const reporter = setInterval(report, 1_000);

process.once("SIGTERM", () => {
  clearInterval(reporter);
  void Promise.allSettled(clients.map((client) => client.stop())).then(() => process.exit(0));
});

const gapMs = work.spreadMs / Math.max(1, work.enrolTokens.length);
for (const [i, token] of work.enrolTokens.entries()) {
  let credential: string | undefined;
  let sequence = 0;
  let wasConnected = false;
  clients.push(
    createLinkClient({
      hubUrl: work.hubUrl,
      enrolToken: token,
      agentVersion: "bench",
      hostname: `bench-host-${i}`,
      credentialStore: {
        get: async () => credential,
        set: async (value) => {
          credential = value;
        },
      },
      hello: () => ({ capabilities: [], mediamtxVersion: "v1.9.3" }),
      telemetry: () => {
        telemetryBuilt += 1;
        sequence += 1;
        return simulatedTelemetry(work.paths, sequence, work.intervalMs);
      },
      telemetryIntervalMs: work.intervalMs,
      commands: { sync: () => undefined },
      logger: silent,
      onState: (state) => {
        if (state === "connected" && !wasConnected) connected += 1;
        else if (state !== "connected" && wasConnected) connected -= 1;
        if (state === "unauthorized") failures += 1;
        wasConnected = state === "connected";
      },
    }),
  );
  await sleep(gapMs);
}
