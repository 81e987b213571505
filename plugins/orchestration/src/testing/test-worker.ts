// A worker for tests: prints one JSON line on start (pid, pgid, argv, MTX_* env), then stays
// alive until signalled. Options (argv):
//   --exit-after-ms N    exit by itself after N ms (with --exit-code C, default 1)
//   --ignore-term        ignore SIGTERM and SIGINT (only SIGKILL stops it)
//   --child              start a grandchild in the same process group (prints its pid)
//   --lines N            print N output lines at once (rate-limit tests)
//   --record FILE        append the started line to FILE on every start (logs may be redacted)
// SIGUSR1 makes it crash (exit code 1) on demand.
import { spawn } from "node:child_process";
import { appendFileSync, readFileSync } from "node:fs";

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const at = args.indexOf(name);
  return at === -1 ? undefined : args[at + 1];
};
const has = (name: string): boolean => args.includes(name);

// Signal handlers first: once the started line is out, a test may signal.
if (has("--ignore-term")) {
  process.on("SIGTERM", () => process.stdout.write("ignoring SIGTERM\n"));
  process.on("SIGINT", () => process.stdout.write("ignoring SIGINT\n"));
}
const pgid = Number(readFileSync("/proc/self/stat", "utf8").split(") ")[1]?.split(" ")[2]);
const env = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => k.startsWith("MTX_") || k === "EXTRA"),
);
let child: number | null = null;
if (has("--child")) {
  const grandchild = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
  child = grandchild.pid ?? null;
}
const started = `${JSON.stringify({ msg: "started", pid: process.pid, pgid, argv: args, env, child })}\n`;
const record = option("--record");
if (record !== undefined) appendFileSync(record, started);
process.stdout.write(started);
const lines = Number(option("--lines") ?? 0);
for (let i = 0; i < lines; i++) process.stderr.write(`line ${i} of ${lines}\n`);

process.on("SIGUSR1", () => process.exit(1));
const exitAfterMs = option("--exit-after-ms");
if (exitAfterMs !== undefined) {
  setTimeout(() => process.exit(Number(option("--exit-code") ?? 1)), Number(exitAfterMs));
}
setInterval(() => {}, 60_000);
