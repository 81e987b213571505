import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type ChildProcessHandle, spawnChild, waitForLine } from "./child-process-handle.ts";
import { parseJsonLines } from "./parse-json-lines.ts";
import { createTempDir, type TempDir } from "./temp-dir.ts";

export interface HubOptions {
  /** Keys merged over the test base config (`version: 1`, temp dataDir, ports 0, admin password). */
  readonly config?: Readonly<Record<string, unknown>>;
  readonly env?: NodeJS.ProcessEnv;
  readonly readyTimeoutMs?: number;
  /** Reuse a data dir (e.g. to restart a hub on the same state); removed only if created here. */
  readonly dataDir?: string;
}

export const DEFAULT_HUB_READY_TIMEOUT_MS = 20_000;
export const TEST_HUB_ADMIN_PASSWORD = "test-admin-password-0123";

/** A hub API answer: status and parsed JSON (or text). */
export interface HubResponse {
  readonly status: number;
  readonly body: unknown;
}

/** A real `mtx-hub` process on free loopback ports. */
export interface StartedHub extends AsyncDisposable {
  /** `host:port` of the link server that agents dial. */
  readonly linkUrl: string;
  readonly url: string;
  /** A token of the `admin` user (logged in with `TEST_HUB_ADMIN_PASSWORD`). */
  readonly adminToken: string;
  readonly pid: number;
  readonly configPath: string;
  readonly dataDir: string;
  /** Parsed JSON log lines (pino) so far. */
  logs(): Array<Record<string, unknown>>;
  /** What the hub wrote to stderr so far (the last 64 KiB), e.g. a generated admin password. */
  stderr(): string;
  /** Calls the API; `token` defaults to the admin token, `null` sends none. */
  request(method: string, route: string, body?: unknown, token?: string | null): Promise<HubResponse>;
  readonly exited: Promise<number | string>;
  stop(): Promise<number | string>;
}

const HUB_MAIN = fileURLToPath(new URL("../../../hub/src/main.ts", import.meta.url));

function configFor(dataDir: string, extra: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const base: Record<string, unknown> = {
    version: 1,
    dataDir,
    api: { host: "127.0.0.1", port: 0 },
    link: { host: "127.0.0.1", port: 0 },
    auth: { adminPassword: TEST_HUB_ADMIN_PASSWORD },
    log: { level: "debug" },
  };
  const merged: Record<string, unknown> = { ...base, ...extra };
  for (const key of ["api", "link", "auth", "log"]) {
    if (extra[key] !== undefined) merged[key] = { ...(base[key] as object), ...(extra[key] as object) };
  }
  return merged;
}

async function call(url: string, method: string, body: unknown, token: string | null): Promise<HubResponse> {
  const res = await fetch(url, {
    method,
    headers: {
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) };
  } catch {
    return { status: res.status, body: text };
  }
}

/**
 * Starts `mtx-hub` as a real process with a config in a temp dir. Resolves when its API
 * listens (the "hub started" log line) and the admin has logged in; dispose stops it and
 * removes the temp dir. A string `body` is sent as is (for malformed-JSON tests).
 */
export async function startHub(options: HubOptions = {}): Promise<StartedHub> {
  const { readyTimeoutMs = DEFAULT_HUB_READY_TIMEOUT_MS, env = process.env } = options;
  const dir: TempDir = await createTempDir("mtx-hub-");
  const dataDir = options.dataDir ?? join(dir.path, "data");
  const configPath = join(dir.path, "hub.yaml");
  const config = configFor(dataDir, options.config ?? {});
  await writeFile(configPath, `${JSON.stringify(config, null, 2)}\n`);
  const handle: ChildProcessHandle = spawnChild(process.execPath, {
    args: [HUB_MAIN, "--config", configPath],
    env,
    cwd: dir.path,
  });
  const fail = async (error: unknown): Promise<never> => {
    await handle.stop();
    await dir[Symbol.asyncDispose]();
    throw new Error(`${(error as Error).message}\nstdout:\n${handle.stdoutTail()}`);
  };
  let url = "";
  let linkUrl = "";
  let adminToken = "";
  try {
    [url, linkUrl] = await waitForLine(
      handle,
      (line) => {
        const entry = line.startsWith("{") ? (JSON.parse(line) as Record<string, unknown>) : undefined;
        return entry?.msg === "hub started" ? [String(entry.apiUrl), String(entry.linkUrl)] : undefined;
      },
      readyTimeoutMs,
      "mtx-hub",
    );
    const password = (config.auth as { adminPassword?: string }).adminPassword ?? TEST_HUB_ADMIN_PASSWORD;
    const login = await call(`${url}/api/v1/auth/login`, "POST", { username: "admin", password }, null);
    adminToken = String((login.body as { token?: unknown }).token ?? "");
  } catch (error) {
    return fail(error);
  }
  return {
    url,
    linkUrl,
    adminToken,
    pid: handle.pid,
    configPath,
    dataDir,
    logs: () => parseJsonLines(handle.stdoutTail()),
    stderr: () => handle.stderrTail(),
    request: (method, route, body, token) =>
      call(url + route, method, body, token === undefined ? adminToken : token),
    exited: handle.exited,
    stop: () => handle.stop(),
    [Symbol.asyncDispose]: async () => {
      await handle.stop();
      await dir[Symbol.asyncDispose]();
    },
  };
}
