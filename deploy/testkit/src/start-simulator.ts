import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ReadyLine, Scenario } from "@mtx-fleet/mediamtx-sim";
import { spawnChild, waitForLine } from "./child-process-handle.ts";
import { createTempDir } from "./temp-dir.ts";

/** MediaMTX versions the simulator can mimic. */
export type SimulatorVersion = "v1.20.1" | "v1.9.3";

/** Media the simulator can put on a path (see deploy/mediamtx-sim/README.md). */
export type SimScenario = Scenario;

/** A fault injected on the simulator's Control API listener. */
export interface SimFault {
  readonly route: string;
  readonly method?: string;
  readonly query?: Readonly<Record<string, string>>;
  readonly kind: "status" | "reset" | "delay";
  readonly status?: number;
  readonly body?: string;
  readonly delayMs?: number;
  readonly times?: number;
}

export interface SimulatorOptions {
  readonly mimic?: SimulatorVersion;
  /**
   * Keys merged (shallowly; `paths` merged by name) over the test base config, which listens on
   * free loopback ports and has `paths: { all_others: {} }` like the default mediamtx.yml.
   */
  readonly config?: Readonly<Record<string, unknown>>;
  /** Raw yml text used instead of the base config (for invalid-file tests). */
  readonly configText?: string;
  readonly scale?: number;
  readonly demo?: boolean;
  /** Validate every response against the OpenAPI file; dispose fails on a violation. */
  readonly validateResponses?: boolean;
  readonly env?: NodeJS.ProcessEnv;
  readonly readyTimeoutMs?: number;
  /** HLS sessions close after this much inactivity (MediaMTX: 30 s). */
  readonly hlsSessionCloseAfterMs?: number;
  /** How long after its 200 an API config write becomes live (the simulator's default: 15 ms). */
  readonly applyDelayMs?: number;
}

export const DEFAULT_SIM_READY_TIMEOUT_MS = 20_000;

/** The ready line the simulator prints on stdout. */
export type SimReadyLine = ReadyLine;

/** Typed calls to the simulator's control endpoint. */
export interface SimControl {
  publish(
    path: string,
    scenario: SimScenario,
    options?: { sourceType?: string; query?: string },
  ): Promise<unknown>;
  unpublish(path: string): Promise<unknown>;
  setScenario(path: string, scenario: SimScenario): Promise<unknown>;
  addReader(path: string, type?: string, query?: string): Promise<{ id: string }>;
  removeReader(path: string, id: string): Promise<unknown>;
  fault(fault: SimFault): Promise<unknown>;
  clearFaults(): Promise<unknown>;
  restart(): Promise<unknown>;
  state(): Promise<unknown>;
  violations(): Promise<unknown[]>;
}

export interface StartedSimulator extends AsyncDisposable {
  readonly pid: number;
  readonly version: string;
  readonly apiUrl: string;
  readonly metricsUrl: string;
  readonly playbackUrl: string;
  readonly hlsUrl: string;
  /** `rtmp://127.0.0.1:PORT` ("" when RTMP is disabled): publish to `${rtmpUrl}/<path>`. */
  readonly rtmpUrl: string;
  /** `rtsp://127.0.0.1:PORT` ("" when RTSP is disabled): read/publish `${rtspUrl}/<path>` over TCP. */
  readonly rtspUrl: string;
  readonly controlUrl: string;
  readonly workDir: string;
  readonly configPath: string;
  readonly control: SimControl;
  /** The simulator's stderr (pino JSON logs), for assertions on what it logged. */
  stderr(): string;
  /** Stops the process (SIGTERM, then SIGKILL); resolves with its exit code. */
  stop(): Promise<number | string>;
}

const SIM_MAIN = fileURLToPath(new URL("../../mediamtx-sim/src/main.ts", import.meta.url));

/** What every test simulator listens on: loopback, free ports. */
function baseConfig(): Record<string, unknown> {
  return {
    logLevel: "info",
    api: true,
    apiAddress: "127.0.0.1:0",
    metrics: true,
    metricsAddress: "127.0.0.1:0",
    playback: true,
    playbackAddress: "127.0.0.1:0",
    hls: true,
    hlsAddress: "127.0.0.1:0",
    // MediaMTX's default is :1935 on every interface; tests need a free loopback port.
    rtmp: true,
    rtmpAddress: "127.0.0.1:0",
    // Same for RTSP (:8554); UDP transports are not simulated, so TCP only.
    rtsp: true,
    rtspAddress: "127.0.0.1:0",
    // Like the default mediamtx.yml: without it no path is configured and nothing can publish.
    paths: { all_others: {} },
  };
}

function mergeConfig(
  base: Record<string, unknown>,
  extra: Readonly<Record<string, unknown>> | undefined,
): Record<string, unknown> {
  if (extra === undefined) return base;
  const merged: Record<string, unknown> = { ...base, ...extra };
  const basePaths = base.paths as Record<string, unknown> | undefined;
  const extraPaths = extra.paths as Record<string, unknown> | undefined;
  if (basePaths !== undefined && extraPaths !== undefined) merged.paths = { ...basePaths, ...extraPaths };
  return merged;
}

async function call(controlUrl: string, method: string, route: string, body?: unknown): Promise<unknown> {
  const init: RequestInit =
    body === undefined
      ? { method }
      : { method, body: JSON.stringify(body), headers: { "content-type": "application/json" } };
  const res = await fetch(controlUrl + route, init);
  const text = await res.text();
  const value: unknown = text === "" ? null : JSON.parse(text);
  if (!res.ok) throw new Error(`simulator control ${method} ${route} → ${res.status}: ${text}`);
  return value;
}

function createControl(controlUrl: string): SimControl {
  return {
    publish: (path, scenario, options = {}) =>
      call(controlUrl, "POST", "/paths/publish", { path, scenario, ...options }),
    unpublish: (path) => call(controlUrl, "POST", "/paths/unpublish", { path }),
    setScenario: (path, scenario) => call(controlUrl, "POST", "/paths/scenario", { path, scenario }),
    addReader: async (path, type = "rtspSession", query) =>
      (await call(controlUrl, "POST", "/paths/readers/add", {
        path,
        type,
        ...(query === undefined ? {} : { query }),
      })) as { id: string },
    removeReader: (path, id) => call(controlUrl, "POST", "/paths/readers/remove", { path, id }),
    fault: (fault) => call(controlUrl, "POST", "/faults", fault),
    clearFaults: () => call(controlUrl, "DELETE", "/faults"),
    restart: () => call(controlUrl, "POST", "/restart"),
    state: () => call(controlUrl, "GET", "/state"),
    violations: async () => (await call(controlUrl, "GET", "/violations")) as unknown[],
  };
}

function parseReady(line: string): SimReadyLine | undefined {
  try {
    const value = JSON.parse(line) as Partial<SimReadyLine>;
    return value.msg === "ready" ? (value as SimReadyLine) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Starts `mediamtx-sim` as a real child process on free loopback ports, in its own temp work
 * dir. Dispose stops it, removes the dir, and throws if the simulator saw an OpenAPI violation
 * (so every response a test caused is checked against the schema).
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<StartedSimulator> {
  const {
    mimic,
    config,
    configText,
    scale,
    demo = false,
    validateResponses = true,
    env = process.env,
    readyTimeoutMs = DEFAULT_SIM_READY_TIMEOUT_MS,
    hlsSessionCloseAfterMs,
    applyDelayMs,
  } = options;
  const dir = await createTempDir("mtx-sim-");
  const configPath = join(dir.path, "mediamtx.yml");
  // JSON is valid YAML, and MediaMTX's loader accepts it.
  await writeFile(
    configPath,
    configText ?? `${JSON.stringify(mergeConfig(baseConfig(), config), null, 2)}\n`,
  );
  const args = [SIM_MAIN, configPath, "--work-dir", dir.path, "--control-address", "127.0.0.1:0"];
  if (mimic !== undefined) args.push("--mimic", mimic);
  if (scale !== undefined) args.push("--scale", String(scale));
  if (demo) args.push("--demo");
  if (validateResponses) args.push("--validate-responses");
  if (applyDelayMs !== undefined) args.push("--apply-delay-ms", String(applyDelayMs));
  // A whole yml without rtspAddress would listen on MediaMTX's :8554 in every parallel test.
  if (configText !== undefined && !/rtspAddress/.test(configText))
    args.push("--rtsp-listen-address", "127.0.0.1:0");
  if (hlsSessionCloseAfterMs !== undefined)
    args.push("--hls-session-close-after-ms", String(hlsSessionCloseAfterMs));
  const handle = spawnChild(process.execPath, { args, env, cwd: dir.path });
  let ready: SimReadyLine;
  try {
    ready = await waitForLine(handle, parseReady, readyTimeoutMs, "mediamtx-sim");
  } catch (error) {
    await handle.stop();
    await dir[Symbol.asyncDispose]();
    throw error;
  }
  const control = createControl(ready.control);
  const dispose = async (): Promise<void> => {
    let violations: unknown[] = [];
    if (validateResponses && handle.child.exitCode === null) {
      violations = await control.violations().catch(() => []);
    }
    await handle.stop();
    await dir[Symbol.asyncDispose]();
    if (violations.length > 0) {
      throw new Error(`simulator saw OpenAPI violations:\n${JSON.stringify(violations, null, 2)}`);
    }
  };
  return {
    pid: handle.pid,
    version: ready.version,
    apiUrl: ready.api ?? "",
    metricsUrl: ready.metrics ?? "",
    playbackUrl: ready.playback ?? "",
    hlsUrl: ready.hls ?? "",
    rtmpUrl: ready.rtmp ?? "",
    rtspUrl: ready.rtsp ?? "",
    controlUrl: ready.control,
    workDir: ready.workDir,
    configPath,
    control,
    stderr: () => handle.stderrTail(),
    stop: () => handle.stop(),
    [Symbol.asyncDispose]: dispose,
  };
}
