import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type ChildProcessHandle, spawnChild, waitForLine } from "./child-process-handle.ts";
import { parseJsonLines } from "./parse-json-lines.ts";
import { createTempDir, type TempDir } from "./temp-dir.ts";

export interface AgentOptions {
  /** Keys merged over the test base config (`version: 1`, temp dataDir, port 0, a token). */
  readonly config?: Readonly<Record<string, unknown>>;
  /** Raw config text instead (for invalid-config tests). */
  readonly configText?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly readyTimeoutMs?: number;
  /** Reuse a data dir (e.g. to restart an agent on the same state); removed only if created here. */
  readonly dataDir?: string;
  /** The script to run: the TypeScript entry (default) or a built bundle (`agent/dist/mtx-agent.mjs`). */
  readonly entry?: string;
}

export const DEFAULT_AGENT_READY_TIMEOUT_MS = 20_000;
export const TEST_AGENT_TOKEN = "test-token-0123456789abcdef";

/** A real `mtx-agent` process on a free loopback port. */
export interface StartedAgent extends AsyncDisposable {
  readonly url: string;
  readonly token: string;
  readonly pid: number;
  readonly configPath: string;
  readonly dataDir: string;
  /** Parsed JSON log lines (pino) so far. */
  logs(): Array<Record<string, unknown>>;
  /** GET a local API route, returning status and parsed JSON. */
  get(route: string): Promise<{ status: number; body: unknown }>;
  /** POST with the token. */
  post(route: string, body?: unknown): Promise<{ status: number; body: unknown }>;
  /** Sends a signal to the agent (e.g. SIGHUP to reload, SIGKILL to crash it). */
  signal(signal: NodeJS.Signals): void;
  /** Rewrites the config file (for reload tests). */
  writeConfig(config: Readonly<Record<string, unknown>>): Promise<void>;
  readonly exited: Promise<number | string>;
  stop(): Promise<number | string>;
}

const AGENT_MAIN = fileURLToPath(new URL("../../../agent/src/main.ts", import.meta.url));

function configFor(dataDir: string, extra: Readonly<Record<string, unknown>> = {}): Record<string, unknown> {
  const base: Record<string, unknown> = {
    version: 1,
    node: { name: "test-agent" },
    dataDir,
    mediamtx: { apiUrl: "http://127.0.0.1:9", pollIntervalMs: 500 },
    localApi: { host: "127.0.0.1", port: 0, token: TEST_AGENT_TOKEN },
    log: { level: "debug" },
    // Several test agents run at once: the hook receiver takes a free port unless a test names one.
    plugins: { hooks: { config: { port: 0 } } },
  };
  const merged: Record<string, unknown> = { ...base, ...extra };
  for (const key of ["mediamtx", "localApi", "node", "log", "plugins"]) {
    if (extra[key] !== undefined) {
      merged[key] = { ...(base[key] as object), ...(extra[key] as object) };
    }
  }
  return merged;
}

/**
 * Starts `mtx-agent` as a real process with a config in a temp dir. Resolves when its local
 * API listens (the "agent started" log line); dispose stops it and removes the temp dir.
 */
export async function startAgent(options: AgentOptions = {}): Promise<StartedAgent> {
  const { readyTimeoutMs = DEFAULT_AGENT_READY_TIMEOUT_MS, env = process.env } = options;
  const dir: TempDir = await createTempDir("mtx-agent-");
  const dataDir = options.dataDir ?? join(dir.path, "data");
  const configPath = join(dir.path, "agent.yaml");
  const writeConfig = async (config: Readonly<Record<string, unknown>>): Promise<void> => {
    await writeFile(configPath, `${JSON.stringify(configFor(dataDir, config), null, 2)}\n`);
  };
  if (options.configText !== undefined) await writeFile(configPath, options.configText);
  else await writeConfig(options.config ?? {});

  const handle: ChildProcessHandle = spawnChild(process.execPath, {
    args: [options.entry ?? AGENT_MAIN, "--config", configPath],
    env,
    cwd: dir.path,
  });
  let url: string;
  try {
    url = await waitForLine(
      handle,
      (line) => {
        const entry = line.startsWith("{") ? (JSON.parse(line) as Record<string, unknown>) : undefined;
        return entry?.msg === "agent started" ? String(entry.localApiUrl) : undefined;
      },
      readyTimeoutMs,
      "mtx-agent",
    );
  } catch (error) {
    await handle.stop();
    await dir[Symbol.asyncDispose]();
    throw new Error(`${(error as Error).message}\nstdout:\n${handle.stdoutTail()}`);
  }
  const request = async (method: string, route: string, body?: unknown) => {
    const init: RequestInit = {
      method,
      headers: {
        authorization: `Bearer ${TEST_AGENT_TOKEN}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    };
    const res = await fetch(url + route, init);
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON (e.g. /metrics)
    }
    return { status: res.status, body: parsed };
  };
  return {
    url,
    token: TEST_AGENT_TOKEN,
    pid: handle.pid,
    configPath,
    dataDir,
    logs: () => parseJsonLines(handle.stdoutTail()),
    get: (route) => request("GET", route),
    post: (route, body) => request("POST", route, body),
    signal: (signal) => {
      try {
        process.kill(handle.pid, signal);
      } catch {
        // already gone
      }
    },
    writeConfig,
    exited: handle.exited,
    stop: () => handle.stop(),
    [Symbol.asyncDispose]: async () => {
      await handle.stop();
      await dir[Symbol.asyncDispose]();
    },
  };
}
