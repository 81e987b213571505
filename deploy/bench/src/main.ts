// `npm run bench`: every benchmark prints its figures next to a baseline measured in the same
// run (never against numbers from another machine or day), and saves them to last-run.json.
import { readFile, writeFile } from "node:fs/promises";
import { buildAgentBundle } from "../../toolchain/build-agent.ts";
import { agentFootprint } from "./agent-footprint.ts";
import { unitEnvironment } from "./unit-environment.ts";

const resultsFile = new URL("../last-run.json", import.meta.url);

const previous = await readFile(resultsFile, "utf8")
  .then((text) => JSON.parse(text) as Record<string, unknown>)
  .catch(() => null);

const fmt = (n: number, digits = 1): string => n.toFixed(digits).padStart(8);

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
if (previous !== null) console.log(`\n(previous run: ${String(previous.at)})`);
await writeFile(
  resultsFile,
  `${JSON.stringify({ at: new Date().toISOString(), agentFootprint: rows }, null, 2)}\n`,
);
