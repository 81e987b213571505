// `npm start`: the local stack on embedded defaults — the MediaMTX simulator with demo streams
// (real ffmpeg media) and its hooks wired to mtx-hook, an mtx-hub, and an mtx-agent that enrols
// with the hub, watches the simulator and receives its hooks. Every start is fresh: the stack's
// state lives in .toolchain/local-stack and is recreated, so the printed admin password and
// tokens are always the current ones.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { appendFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";

const repo = join(import.meta.dirname, "..", "..");
const stateDir = join(repo, ".toolchain", "local-stack");
const children: ChildProcess[] = [];

/** Starts a node script and resolves with the first stdout JSON line that `pick` accepts. */
function startNode(
  name: string,
  script: string,
  args: readonly string[],
  pick: (line: Record<string, unknown>) => boolean,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Record<string, unknown>> {
  const child = spawn(process.execPath, [script, ...args], {
    cwd: repo,
    env,
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(child);
  child.on("exit", (code, signal) => {
    if (!stopping) {
      console.error(`${script} exited (${code ?? signal}); stopping the stack`);
      stop(1);
    }
  });
  return new Promise((resolve) => {
    createInterface({ input: child.stdout }).on("line", (text) => {
      appendFileSync(join(stateDir, `${name}.log`), `${text}\n`);
      try {
        const line = JSON.parse(text) as Record<string, unknown>;
        if (pick(line)) resolve(line);
      } catch {
        // not JSON
      }
    });
  });
}

let stopping = false;
function stop(code: number): void {
  if (stopping) return;
  stopping = true;
  for (const child of [...children].reverse()) child.kill("SIGTERM");
  setTimeout(() => process.exit(code), 3_000).unref();
  Promise.all(
    children.map((c) => new Promise((r) => (c.exitCode === null ? c.once("exit", r) : r(null)))),
  ).then(
    () => process.exit(code),
    () => process.exit(code),
  );
}
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => stop(0));

/** Calls the local hub's API; throws with the hub's `{code, message}` on an error status. */
async function hubCall(
  base: string,
  method: string,
  route: string,
  body: unknown,
  token?: string,
): Promise<unknown> {
  const res = await fetch(base + route, {
    method,
    headers: {
      "content-type": "application/json",
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (!res.ok)
    throw new Error(`hub ${method} ${route}: ${res.status} ${String(json.code)} ${String(json.message)}`);
  return json;
}

rmSync(stateDir, { recursive: true, force: true });
mkdirSync(stateDir, { recursive: true });
const adminPassword = randomBytes(12).toString("base64url");
const hubConfig = join(stateDir, "hub.yaml");
writeFileSync(
  hubConfig,
  `${JSON.stringify(
    {
      version: 1,
      dataDir: join(stateDir, "hub-data"),
      api: { host: "127.0.0.1", port: 9800 },
      link: { host: "127.0.0.1", port: 9801 },
      auth: { adminPassword },
    },
    null,
    2,
  )}\n`,
);
const hub = await startNode(
  "hub",
  join(repo, "hub", "src", "main.ts"),
  ["--config", hubConfig],
  (line) => line.msg === "hub started",
);
const hubUrl = String(hub.apiUrl);
const { token: adminToken } = (await hubCall(hubUrl, "POST", "/api/v1/auth/login", {
  username: "admin",
  password: adminPassword,
})) as { token: string };
const { node, enrolToken } = (await hubCall(
  hubUrl,
  "POST",
  "/api/v1/fleet/nodes",
  { name: "local-demo", environment: "dev", labels: { site: "local" } },
  adminToken,
)) as { node: { id: string }; enrolToken: { token: string } };

// MediaMTX's hooks run `mtx-hook` (deploy/mediamtx/mtx-hooks.yml verbatim, the legacy names for
// `--mimic v1.9.3`); on the simulator's PATH it is a shim running the wrapper from source,
// pointed at the agent's hooks plugin (its default port, token and spool in the agent's dataDir).
const hooksSnippet = process.argv.some((arg) => arg.includes("v1.9.3"))
  ? "mtx-hooks-legacy.yml"
  : "mtx-hooks.yml";
const hooksDir = join(stateDir, "agent-data", "plugins", "hooks");
mkdirSync(join(stateDir, "bin"));
writeFileSync(
  join(stateDir, "bin", "mtx-hook"),
  `#!/bin/sh\nexec "${process.execPath}" "${join(repo, "plugins", "hooks", "src", "wrapper", "main.ts")}" "$@"\n`,
  { mode: 0o755 },
);
const mediamtxYml = join(stateDir, "mediamtx.yml");
writeFileSync(
  mediamtxYml,
  [
    "api: yes\napiAddress: 127.0.0.1:9997\nmetrics: yes\nmetricsAddress: 127.0.0.1:9998",
    "playback: yes\nplaybackAddress: 127.0.0.1:9996\nhlsAddress: 127.0.0.1:8888\nrtmpAddress: 127.0.0.1:1935",
    "paths:\n  all_others:\n",
    readFileSync(join(repo, "deploy", "mediamtx", hooksSnippet), "utf8"),
  ].join("\n"),
);
const sim = await startNode(
  "simulator",
  join(repo, "deploy", "mediamtx-sim", "src", "main.ts"),
  [mediamtxYml, "--demo", "--work-dir", join(stateDir, "mediamtx-sim"), ...process.argv.slice(2)],
  (line) => line.msg === "ready",
  {
    ...process.env,
    PATH: `${join(stateDir, "bin")}:${process.env.PATH ?? ""}`,
    MTX_HOOK_TOKEN_FILE: join(hooksDir, "token"),
    MTX_HOOK_SPOOL_DIR: join(hooksDir, "spool"),
  },
);

const token = randomBytes(16).toString("hex");
const agentConfig = join(stateDir, "agent.yaml");
writeFileSync(
  agentConfig,
  `${JSON.stringify(
    {
      version: 1,
      node: { name: "local-demo" },
      dataDir: join(stateDir, "agent-data"),
      // hlsSessions: the probe reads the demo streams over HLS and knows its own sessions by
      // their user agent, so they never show as viewers.
      mediamtx: { apiUrl: sim.api, pollIntervalMs: 2000, pollSessions: ["hlsSessions"] },
      localApi: { host: "127.0.0.1", port: 9980, token },
      hub: { url: String(hub.linkUrl), enrolToken: enrolToken.token },
      plugins: {
        probe: {
          config: {
            // The simulator serves HLS (MediaMTX's RTSP default is not there).
            readUrl: `${String(sim.hls)}/{path}/index.m3u8`,
            // Verdicts of the demo streams within seconds, then a re-probe every minute.
            deep: { intervalMs: 60_000, recheckIntervalMs: 30_000, sampleSeconds: 3 },
            thresholds: { blackMinSeconds: 1, freezeMinSeconds: 1, silenceMinSeconds: 1 },
            overrides: [{ match: "demo/noaudio", expectAudio: true }],
            thumbnails: { intervalMs: 60_000 },
          },
        },
      },
    },
    null,
    2,
  )}\n`,
);
const agent = await startNode(
  "agent",
  join(repo, "agent", "src", "main.ts"),
  ["--config", agentConfig],
  (line) => line.msg === "agent started",
);
const api = String(agent.localApiUrl);
const demo = Array.isArray(sim.demo) ? (sim.demo as string[]) : [];
console.log(
  [
    "",
    `MTX Fleet local stack is up (MediaMTX simulator ${String(sim.version)} + mtx-agent + mtx-hub):`,
    `  hub API          ${hubUrl}/api/v1/streams   (OpenAPI: ${hubUrl}/api/v1/openapi.json)`,
    `  hub login        admin / ${adminPassword}   (POST ${hubUrl}/api/v1/auth/login)`,
    `  hub token        ${adminToken}`,
    `  hub node         ${hubUrl}/api/v1/fleet/nodes/${node.id}`,
    `  hub events       ${hubUrl}/api/v1/events`,
    `  agent status     ${api}/api/v1/status`,
    `  agent streams    ${api}/api/v1/streams`,
    `  agent events     ${api}/api/v1/events`,
    `  agent plugins    ${api}/api/v1/plugins`,
    `  agent metrics    ${api}/metrics`,
    `  agent probe      ${api}/api/v1/plugins/probe/x/streams   (thumbnail: .../x/thumbnail?path=demo/testsrc)`,
    `  agent hooks      ${api}/api/v1/plugins/hooks/x/status   (receiver http://127.0.0.1:9811)`,
    `  hub hook events  ${hubUrl}/api/v1/events?kind=hook.received`,
    `  agent token      ${token}   (for writes: Authorization: Bearer <token>)`,
    `  MediaMTX API     ${String(sim.api)}/v3/paths/list`,
    `  MediaMTX metrics ${String(sim.metrics)}/metrics`,
    `  playback         ${String(sim.playback)}/list?path=...`,
    `  simulator        ${String(sim.control)}/state`,
    ...demo.map((path) => `  HLS stream       ${String(sim.hls)}/${path}/index.m3u8`),
    "",
    "Try: ffprobe <an HLS stream URL above>;",
    `     curl -H "authorization: Bearer ${adminToken}" ${hubUrl}/api/v1/streams`,
    "Ctrl-C stops everything.",
    `Logs (JSON): ${join(stateDir, "hub.log")}, ${join(stateDir, "agent.log")}; simulator logs go to stderr.`,
    "",
  ].join("\n"),
);
