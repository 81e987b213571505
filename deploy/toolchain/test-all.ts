// The whole test suite, as `npm test` runs it: typecheck, lint + format check, then every
// vitest test of every workspace. Ends with exactly one line `N passed, N failed` (checks count
// as one test each) and exits non-zero when anything failed.
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

const repo = join(import.meta.dirname, "..", "..");
const bin = (name: string): string => join(repo, "node_modules", ".bin", name);
const resultsFile = join(repo, ".vitest-results.json");

interface Step {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
}

const checks: readonly Step[] = [
  { name: "typecheck (tsc)", command: bin("tsc"), args: ["-p", "tsconfig.json"] },
  { name: "lint + format (biome ci)", command: bin("biome"), args: ["ci", "--colors=off", "."] },
];

let passed = 0;
let failed = 0;
let skipped = 0;
const failures: string[] = [];

for (const step of checks) {
  console.log(`\n=== ${step.name}`);
  const run = spawnSync(step.command, step.args, { cwd: repo, stdio: "inherit" });
  if (run.status === 0) passed += 1;
  else {
    failed += 1;
    failures.push(step.name);
  }
}

console.log("\n=== vitest");
rmSync(resultsFile, { force: true });
const extra = process.argv.slice(2);
const vitest = spawnSync(
  bin("vitest"),
  ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${resultsFile}`, ...extra],
  { cwd: repo, stdio: "inherit" },
);

interface VitestJson {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  numFailedTestSuites: number;
  numTotalTests: number;
}

try {
  const results = JSON.parse(readFileSync(resultsFile, "utf8")) as VitestJson;
  passed += results.numPassedTests;
  failed += results.numFailedTests;
  skipped += results.numPendingTests + results.numTodoTests;
  // A file that fails to load has no failed test but must still fail the run.
  if (results.numFailedTests === 0 && results.numFailedTestSuites > 0) {
    failed += results.numFailedTestSuites;
    failures.push(`${results.numFailedTestSuites} test file(s) failed to run`);
  }
  if (results.numTotalTests === 0) {
    failed += 1;
    failures.push("vitest ran no test");
  }
} catch {
  failed += 1;
  failures.push(`vitest produced no results (exit ${vitest.status})`);
}
if (vitest.status !== 0 && failed === 0) {
  failed += 1;
  failures.push(`vitest exited ${vitest.status}`);
}

if (failures.length > 0) console.log(`\nfailed: ${failures.join("; ")}`);
console.log(`\n${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ""}`);
process.exit(failed > 0 ? 1 : 0);
