import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import {
  type ChildProcessHandle,
  createTempDir,
  type StartedHub,
  type StartedNatsServer,
  spawnChild,
  startHub,
  startNatsServer,
} from "@mtx-fleet/testkit";
import { type ApiLatency, apiLatency } from "./api-latency.ts";
import { type ProcessFootprint, sampleProcess } from "./process-sampler.ts";
import type { SimulatedAgentsWork } from "./simulated-agents-worker.ts";

/** One fleet size: `nodes` simulated agents with `paths` paths each. */
export interface FleetSize {
  readonly nodes: number;
  readonly paths: number;
}

/** Figures of one run against one hub; `size` is null for the idle baseline. */
export interface FleetIngestRow {
  readonly name: string;
  readonly size: FleetSize | null;
  /** Agents that had a session when the window opened (may be below `size.nodes`). */
  readonly connected: number;
  /** Creating the nodes over the REST API (parallel batches). */
  readonly createNodesMs: number | null;
  /** From the first client start to all connected (enrol + session). */
  readonly connectMs: number | null;
  /** Telemetry the agents built per second (what they tried to send). */
  readonly offeredTelemetryPerS: number;
  /** Telemetry received by the hub per second (`mtx_hub_ingest_total{what="telemetry"}`). */
  readonly hubTelemetryPerS: number;
  /** `hubTelemetryPerS` × paths: every message is a full one carrying all of the node's paths. */
  readonly hubPathUpdatesPerS: number;
  /** Streams the hub lists at the end of the window. */
  readonly hubStreams: number;
  readonly hub: ProcessFootprint;
  /** CPU of the simulated agents' processes together (the load generator shares the 2 cores). */
  readonly loadGeneratorCpuPercent: number;
  readonly api: readonly ApiLatency[];
}

export interface FleetIngestOptions {
  readonly sizes: readonly FleetSize[];
  readonly intervalMs?: number;
  readonly warmupMs?: number;
  readonly windowMs?: number;
  /** Sequential requests per route in each window. */
  readonly apiRequests?: number;
  /** Agents per child process. */
  readonly agentsPerProcess?: number;
  /** Give up waiting for every agent to connect after this; the window then runs with fewer. */
  readonly connectTimeoutMs?: number;
  /** Called as each row is done (progress on a long run). */
  readonly onRow?: (row: FleetIngestRow) => void;
  /**
   * Run each hub with its own nats-server, so it keeps its state in the JetStream KV store (as
   * hub replicas do); the agents still send telemetry over their link sessions.
   */
  readonly nats?: boolean;
}

export const FLEET_API_ROUTES = ["/api/v1/streams?perPage=100", "/api/v1/fleet/nodes"] as const;
const CREATE_BATCH = 50;
const WORKER = fileURLToPath(new URL("./simulated-agents-worker.ts", import.meta.url));

interface WorkerCounts {
  readonly clients: number;
  readonly connected: number;
  readonly telemetryBuilt: number;
  readonly failures: number;
}

function countsOf(worker: ChildProcessHandle): WorkerCounts {
  const lines = worker.stdoutTail().trimEnd().split("\n");
  const last = lines.at(-1) ?? "";
  if (!last.startsWith("{")) return { clients: 0, connected: 0, telemetryBuilt: 0, failures: 0 };
  return JSON.parse(last) as WorkerCounts;
}

function sumCounts(workers: readonly ChildProcessHandle[]): WorkerCounts {
  return workers.map(countsOf).reduce(
    (a, b) => ({
      clients: a.clients + b.clients,
      connected: a.connected + b.connected,
      telemetryBuilt: a.telemetryBuilt + b.telemetryBuilt,
      failures: a.failures + b.failures,
    }),
    { clients: 0, connected: 0, telemetryBuilt: 0, failures: 0 },
  );
}

async function ingestedTelemetry(hub: StartedHub): Promise<number> {
  const res = await hub.request("GET", "/metrics");
  const match = /^mtx_hub_ingest_total\{what="telemetry"\} (\d+)/m.exec(String(res.body));
  if (match?.[1] === undefined) throw new Error(`no mtx_hub_ingest_total{what="telemetry"} in /metrics`);
  return Number(match[1]);
}

async function createNodes(hub: StartedHub, count: number): Promise<string[]> {
  const tokens: string[] = [];
  for (let start = 0; start < count; start += CREATE_BATCH) {
    const batch = Array.from({ length: Math.min(CREATE_BATCH, count - start) }, (_, i) =>
      hub.request("POST", "/api/v1/fleet/nodes", {
        name: `bench-${String(start + i).padStart(5, "0")}`,
        environment: "prod",
        labels: { bench: "fleet" },
      }),
    );
    for (const res of await Promise.all(batch)) {
      const token = (res.body as { enrolToken?: { token?: string } }).enrolToken?.token;
      if (res.status !== 201 && res.status !== 200) throw new Error(`creating a node: ${res.status}`);
      if (token === undefined) throw new Error("creating a node returned no enrol token");
      tokens.push(token);
    }
  }
  return tokens;
}

async function idleRow(hub: StartedHub, windowMs: number, apiRequests: number): Promise<FleetIngestRow> {
  const [footprint, api] = await Promise.all([
    sampleProcess(hub.pid, windowMs),
    apiLatency(hub, FLEET_API_ROUTES, apiRequests),
  ]);
  return {
    name: "hub idle, no agents (baseline)",
    size: null,
    connected: 0,
    createNodesMs: null,
    connectMs: null,
    offeredTelemetryPerS: 0,
    hubTelemetryPerS: 0,
    hubPathUpdatesPerS: 0,
    hubStreams: 0,
    hub: footprint,
    loadGeneratorCpuPercent: 0,
    api,
  };
}

/**
 * The fleet benchmark (issue #4): for each size, a fresh `mtx-hub` and `nodes` real link
 * clients in child processes, each sending a full telemetry of `paths` paths every
 * `intervalMs`. Over a window after warm-up: the hub's ingest rate (its own counter), its CPU
 * and RSS, and the REST API's latency under that load. The first row is the baseline: the same
 * API latency and footprint of a hub with no agents, measured in the same run.
 */
export async function fleetIngest(options: FleetIngestOptions): Promise<FleetIngestRow[]> {
  const {
    sizes,
    intervalMs = 2_000,
    warmupMs = 6_000,
    windowMs = 20_000,
    apiRequests = 200,
    agentsPerProcess = 250,
    connectTimeoutMs = 60_000,
    onRow,
    nats = false,
  } = options;
  const rows: FleetIngestRow[] = [];
  const push = (row: FleetIngestRow) => {
    rows.push(row);
    onRow?.(row);
  };
  // Production log level: the test kit's default (debug) would measure logging.
  const baseConfig = { log: { level: "info" } };
  const natsFor = async (): Promise<StartedNatsServer | undefined> => (nats ? startNatsServer() : undefined);
  const configWith = (server: StartedNatsServer | undefined) =>
    server === undefined ? baseConfig : { ...baseConfig, nats: { servers: [server.url] } };
  {
    await using server = await natsFor();
    await using hub = await startHub({ config: configWith(server) });
    await sleep(2_000);
    push(await idleRow(hub, Math.min(windowMs, 10_000), apiRequests));
  }
  for (const size of sizes) {
    await using dir = await createTempDir("mtx-bench-fleet-");
    await using server = await natsFor();
    await using hub = await startHub({ config: configWith(server) });
    const createStarted = performance.now();
    const tokens = await createNodes(hub, size.nodes);
    const createNodesMs = performance.now() - createStarted;

    const workers: ChildProcessHandle[] = [];
    try {
      const connectStarted = performance.now();
      for (let start = 0, n = 0; start < tokens.length; start += agentsPerProcess, n++) {
        const work: SimulatedAgentsWork = {
          hubUrl: hub.linkUrl,
          enrolTokens: tokens.slice(start, start + agentsPerProcess),
          paths: size.paths,
          intervalMs,
          spreadMs: intervalMs,
        };
        const file = join(dir.path, `work-${n}.json`);
        await writeFile(file, JSON.stringify(work));
        workers.push(spawnChild(process.execPath, { args: [WORKER, file] }));
      }
      let connectMs: number | null = null;
      while (performance.now() - connectStarted < connectTimeoutMs) {
        await sleep(500);
        for (const worker of workers) {
          if (worker.child.exitCode !== null)
            throw new Error(`a simulated-agents process died:\n${worker.stderrTail()}`);
        }
        if (sumCounts(workers).connected >= size.nodes) {
          connectMs = performance.now() - connectStarted;
          break;
        }
      }
      await sleep(warmupMs);

      const before = sumCounts(workers);
      const ingestedBefore = await ingestedTelemetry(hub);
      const windowStarted = performance.now();
      const [footprint, api, ...workerFootprints] = await Promise.all([
        sampleProcess(hub.pid, windowMs),
        apiLatency(hub, FLEET_API_ROUTES, apiRequests, Date.now() + windowMs),
        ...workers.map((worker) => sampleProcess(worker.pid, windowMs)),
      ]);
      const ingestedAfter = await ingestedTelemetry(hub);
      const elapsedS = (performance.now() - windowStarted) / 1000;
      const after = sumCounts(workers);
      const streams = await hub.request("GET", "/api/v1/streams?perPage=1");
      const hubTelemetryPerS = (ingestedAfter - ingestedBefore) / elapsedS;
      push({
        // Never a figure under a size that did not run: a partial connect shows in the name.
        name: `${before.connected < size.nodes ? `${before.connected} of ${size.nodes}` : size.nodes} agents × ${size.paths} paths / ${intervalMs / 1000} s`,
        size,
        connected: before.connected,
        createNodesMs,
        connectMs,
        offeredTelemetryPerS: (after.telemetryBuilt - before.telemetryBuilt) / elapsedS,
        hubTelemetryPerS,
        hubPathUpdatesPerS: hubTelemetryPerS * size.paths,
        hubStreams: (streams.body as { itemCount?: number }).itemCount ?? 0,
        hub: footprint,
        loadGeneratorCpuPercent: workerFootprints.reduce((sum, fp) => sum + fp.cpuPercent, 0),
        api,
      });
    } finally {
      await Promise.all(workers.map((worker) => worker.stop()));
    }
  }
  return rows;
}
