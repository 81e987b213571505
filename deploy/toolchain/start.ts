// `npm start`: the main job on embedded defaults. For now: the MediaMTX simulator with demo
// streams (real ffmpeg media). The agent and hub join this stack as they land.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";

const repo = join(import.meta.dirname, "..", "..");
const simMain = join(repo, "deploy", "mediamtx-sim", "src", "main.ts");

const sim = spawn(process.execPath, [simMain, "--demo", ...process.argv.slice(2)], {
  cwd: repo,
  stdio: ["ignore", "pipe", "inherit"],
});

const lines = createInterface({ input: sim.stdout });
lines.on("line", (line) => {
  let ready: Record<string, unknown>;
  try {
    ready = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return;
  }
  if (ready.msg !== "ready") return;
  const demo = Array.isArray(ready.demo) ? (ready.demo as string[]) : [];
  console.log(
    [
      "",
      `MTX Fleet local stack is up (MediaMTX simulator ${String(ready.version)}):`,
      `  Control API   ${String(ready.api)}/v3/paths/list`,
      `  metrics       ${String(ready.metrics)}/metrics`,
      `  playback      ${String(ready.playback)}/list?path=...`,
      `  control       ${String(ready.control)}/state`,
      ...demo.map((path) => `  HLS stream    ${String(ready.hls)}/${path}/index.m3u8`),
      "",
      "Try: ffprobe <an HLS stream URL above>. Ctrl-C stops everything.",
      "",
    ].join("\n"),
  );
});

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => sim.kill(signal));
}
sim.on("exit", (code, signal) => process.exit(code ?? (signal === null ? 0 : 1)));
