// `npm run bench`: every benchmark prints its figures next to a baseline measured in the same
// run (never against numbers from another machine or day), and saves them to last-run.json.
// `--only fleet` (or `--only agent`, `--only orchestration`, `--only deep-probe`) runs one
// section; `--fleet-sizes 200x100,1000x100` picks the fleet sizes; `--fleet-nats` runs the
// fleet hubs on the NATS KV store (as replicas do).
// A section not run keeps its figures from the previous file.
import { readFile, writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { buildAgentBundle, buildHookBundle } from "../../toolchain/build-agent.ts";
import { agentFootprint } from "./agent-footprint.ts";
import {
  type DeepProbeBench,
  type DeepProbeCapRow,
  type DeepProbeVariantRow,
  deepProbeBench,
} from "./deep-probe.ts";
import { type FleetIngestRow, type FleetSize, fleetIngest } from "./fleet-ingest.ts";
import { type HooksBench, hooksBench } from "./hooks.ts";
import { type OrchestrationLatency, orchestrationLatency } from "./orchestration-latency.ts";
import { unitEnvironment } from "./unit-environment.ts";

const resultsFile = new URL("../last-run.json", import.meta.url);

const { values: args } = parseArgs({
  options: {
    only: { type: "string" },
    "fleet-sizes": { type: "string", default: "200x100,1000x100" },
    // The hubs keep their state in NATS KV (as replicas do) instead of the JSON file.
    "fleet-nats": { type: "boolean", default: false },
  },
});
const runs = (section: "agent" | "fleet" | "orchestration" | "deep-probe" | "hooks") =>
  args.only === undefined || args.only === section;

const previous = await readFile(resultsFile, "utf8")
  .then((text) => JSON.parse(text) as Record<string, unknown>)
  .catch(() => null);
const results: Record<string, unknown> = { ...previous, at: new Date().toISOString() };

const fmt = (n: number, digits = 1): string => n.toFixed(digits).padStart(8);

if (runs("agent")) {
  console.log("\n== agent footprint (issue #3; goal: RSS <= 100 MB, CPU <= 2 % of one core) ==");
  const unitEnv = await unitEnvironment(new URL("../../systemd/mtx-agent.service", import.meta.url).pathname);
  const rows = await agentFootprint({ bundle: await buildAgentBundle(), unitEnv });
  console.log(
    `${"process".padEnd(46)} ${"RSS avg MB".padStart(10)} ${"RSS max MB".padStart(10)} ${"CPU %".padStart(8)}`,
  );
  for (const { name, footprint } of rows) {
    console.log(
      `${name.padEnd(46)} ${fmt(footprint.rssAvgMb).padStart(10)} ${fmt(footprint.rssMaxMb).padStart(10)} ${fmt(footprint.cpuPercent, 2)}`,
    );
  }
  results.agentFootprint = rows;
}

if (runs("fleet")) {
  const sizes: FleetSize[] = (args["fleet-sizes"] ?? "").split(",").map((text) => {
    const [nodes, paths] = text.split("x").map(Number);
    if (!Number.isInteger(nodes) || !Number.isInteger(paths)) throw new Error(`bad fleet size '${text}'`);
    return { nodes: Number(nodes), paths: Number(paths) };
  });
  console.log("\n== fleet ingest (issue #4; goal: 1,000 agents × 100 paths every 2 s on one hub) ==");
  const header =
    `${"run".padEnd(40)} ${"conn".padStart(5)} ${"sent/s".padStart(7)} ${"hub msg/s".padStart(9)} ` +
    `${"paths/s".padStart(8)} ${"hub CPU%".padStart(8)} ${"RSS MB".padStart(7)} ${"gen CPU%".padStart(8)} ` +
    `${"streams p50/p99 ms".padStart(18)} ${"nodes p50/p99 ms".padStart(17)}`;
  const line = (row: FleetIngestRow, label = row.name): string => {
    const [streams, nodes] = row.api;
    const lat = (l: typeof streams) =>
      l === undefined ? "-" : `${l.p50Ms.toFixed(1)}/${l.p99Ms.toFixed(1)}`;
    return (
      `${label.slice(0, 40).padEnd(40)} ${String(row.connected).padStart(5)} ${row.offeredTelemetryPerS.toFixed(0).padStart(7)} ` +
      `${row.hubTelemetryPerS.toFixed(0).padStart(9)} ${row.hubPathUpdatesPerS.toFixed(0).padStart(8)} ` +
      `${row.hub.cpuPercent.toFixed(1).padStart(8)} ${row.hub.rssMaxMb.toFixed(0).padStart(7)} ` +
      `${row.loadGeneratorCpuPercent.toFixed(1).padStart(8)} ${lat(streams).padStart(18)} ${lat(nodes).padStart(17)}`
    );
  };
  console.log(header);
  const rows = await fleetIngest({
    sizes,
    nats: args["fleet-nats"] ?? false,
    onRow: (row) => {
      console.log(line(row));
      if (row.size !== null) {
        console.log(
          `${"".padEnd(40)} (nodes created in ${((row.createNodesMs ?? 0) / 1000).toFixed(1)} s, ` +
            `${row.connectMs === null ? `NOT all connected: ${row.connected}/${row.size.nodes}` : `all connected in ${(row.connectMs / 1000).toFixed(1)} s`}, ` +
            `hub lists ${row.hubStreams} streams, ${row.api[0]?.requests ?? 0} API calls per route)`,
        );
        if (row.hubTelemetryPerS < 0.95 * row.offeredTelemetryPerS) {
          console.log(
            `${"".padEnd(40)} (hub behind: it took ${((row.hubTelemetryPerS / row.offeredTelemetryPerS) * 100).toFixed(0)} % of the telemetry sent; the rest queued)`,
          );
        }
      }
    },
  });
  console.log(
    "sent/s: telemetry the simulated agents built; hub msg/s: the hub's mtx_hub_ingest_total{what=telemetry};\n" +
      "paths/s: hub msg/s × paths (each message is a full one); RSS: max; gen CPU%: the agents' processes.",
  );
  const before = (previous?.fleetIngest ?? null) as FleetIngestRow[] | null;
  if (before !== null) {
    console.log(`\nprevious run (${String(previous?.at)}):`);
    for (const row of before) console.log(line(row));
  }
  results.fleetIngest = rows;
}

if (runs("orchestration")) {
  console.log(
    "\n== orchestration start latency (issue #6; goal: worker running <= 500 ms after the ready hook) ==",
  );
  const figures = await orchestrationLatency({ runs: 20 });
  const before = (previous?.orchestrationLatency ?? null) as OrchestrationLatency | null;
  const segments = [
    ["hookToStored", "hook ran → stored (hooks plugin; baseline)"],
    ["storedToSpawned", "stored → worker spawned (orchestration)"],
    ["hookToSpawned", "hook ran → worker spawned (the goal)"],
    ["publishToSpawned", "publish → worker spawned (incl. mtx-hook start)"],
  ] as const;
  console.log(
    `${"segment".padEnd(50)} ${"p50 ms".padStart(8)} ${"p95 ms".padStart(8)} ${"max ms".padStart(8)}   previous p50/p95`,
  );
  for (const [key, label] of segments) {
    const now = figures[key];
    const old = before?.[key];
    console.log(
      `${label.padEnd(50)} ${fmt(now.p50Ms, 0)} ${fmt(now.p95Ms, 0)} ${fmt(now.maxMs, 0)}   ${old === undefined ? "-" : `${old.p50Ms}/${old.p95Ms}`}`,
    );
  }
  console.log(`(${figures.runs} streams published one after another; the worker is a node script)`);
  results.orchestrationLatency = figures;
}

if (runs("deep-probe")) {
  console.log("\n== deep probe (issue #5; goal: a healthy stream's verdict in <= 1.5 s) ==");
  const variantLine = (r: DeepProbeVariantRow) =>
    `${r.name.padEnd(50)} ${r.transport.padEnd(5)} ${fmt(r.verdictP50Ms, 0)} ${fmt(r.verdictMaxMs, 0)} ${fmt(r.cpuAvgMs, 0)} ${String(r.failures).padStart(5)}`;
  const capLine = (r: DeepProbeCapRow) =>
    `${`cap ${r.cap}: ${r.probes} probes at once`.padEnd(50)} ${"hls".padEnd(5)} ${fmt(r.verdictP50Ms, 0)} ${fmt(r.probesPerMinute, 0)} ${fmt(r.cpuAvgMs, 0)}`;
  console.log(
    `${"way of probing (one stream, this run)".padEnd(50)} ${"via".padEnd(5)} ${"p50 ms".padStart(8)} ${"max ms".padStart(8)} ${"CPU ms".padStart(8)} ${"fail".padStart(5)}`,
  );
  let capHeader = false;
  const deep = await deepProbeBench({
    onRow: (row) => {
      if (!("cap" in row)) return console.log(variantLine(row));
      if (!capHeader) {
        capHeader = true;
        console.log(
          `\n${"probes per minute at the cap".padEnd(50)} ${"via".padEnd(5)} ${"p50 ms".padStart(8)} ${"per min".padStart(8)} ${"CPU ms".padStart(8)}`,
        );
      }
      console.log(capLine(row));
    },
  });
  console.log(
    `p50/max ms: spawn to result (ffprobe: to stream info; it runs no filters); CPU ms: user+system of the\n` +
      `process tree per probe (kernel rusage via the runner's \`times\`). Sample ${deep.sampleSeconds} s; HLS reads history, RTMP is live.`,
  );
  const before = (previous?.deepProbe ?? null) as DeepProbeBench | null;
  if (before !== null) {
    console.log(`\nprevious run (${String(previous?.at)}):`);
    for (const row of before.variants) console.log(variantLine(row));
    for (const row of before.caps) console.log(capLine(row));
  }
  results.deepProbe = deep;
}

if (runs("hooks")) {
  console.log(
    "\n== MediaMTX hooks (issue #6; mtx-hook starts about as fast as bare node; hook → hub latency) ==",
  );
  const figures = await hooksBench({ bundle: await buildHookBundle() });
  const before = (previous?.hooks ?? null) as HooksBench | null;
  console.log(
    `${"process (spawn → exit)".padEnd(46)} ${"p50 ms".padStart(8)} ${"p90 ms".padStart(8)} ${"p99 ms".padStart(8)}   previous p50`,
  );
  for (const row of figures.startTime) {
    const old = before?.startTime.find((r) => r.name === row.name)?.spread.p50Ms;
    console.log(
      `${row.name.padEnd(46)} ${fmt(row.spread.p50Ms)} ${fmt(row.spread.p90Ms)} ${fmt(row.spread.p99Ms)}   ${old ?? "-"}`,
    );
  }
  const { latency } = figures;
  console.log(
    `\n${`hook → hub, ${latency.events} hooks, ${latency.concurrency} at a time`.padEnd(46)} ${"p50 ms".padStart(8)} ${"p90 ms".padStart(8)} ${"p99 ms".padStart(8)}   previous p50/p99`,
  );
  for (const [label, key] of [
    ["wrapper spawned → stored at the hub", "spawnToHub"],
    ["hook's occurredAt → stored at the hub", "occurredToHub"],
  ] as const) {
    const now = latency[key];
    const old = before?.latency[key];
    console.log(
      `${label.padEnd(46)} ${fmt(now.p50Ms)} ${fmt(now.p90Ms)} ${fmt(now.p99Ms)}   ${old === undefined ? "-" : `${old.p50Ms}/${old.p99Ms}`}`,
    );
  }
  console.log(
    `(mtx-hook bundle → agent receiver → outbox → gRPC link → hub; ${(latency.elapsedMs / 1000).toFixed(1)} s for all)`,
  );
  results.hooks = figures;
}

if (previous !== null) console.log(`\n(previous run: ${String(previous.at)})`);
await writeFile(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
