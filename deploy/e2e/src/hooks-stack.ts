// What the hooks e2e tests share: a MediaMTX simulator wired with deploy/mediamtx's snippet
// (verbatim; `mtx-hook` on its PATH is a shim running the wrapper from source), an agent whose
// hooks plugin listens on a known port with its token and spool in the agent's data dir, and
// a hub the agent is enrolled with.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { installHookShim } from "@mtx-fleet/plugin-hooks/testing";
import {
  createTempDir,
  freePort,
  type SimulatorVersion,
  type StartedAgent,
  type StartedHub,
  type StartedSimulator,
  startAgent,
  startHub,
  startSimulator,
  type TempDir,
  waitFor,
} from "@mtx-fleet/testkit";
import { createNode } from "./create-node.ts";

/**
 * The agent's poll interval with real hooks: long enough that a wrapper slowed by a loaded
 * machine still beats the reconciler's grace window (half an interval), so nothing real is
 * synthesised first.
 */
export const POLL_INTERVAL_MS = 2_000;
const SNIPPETS = fileURLToPath(new URL("../../mediamtx/", import.meta.url));

/** A hook event as the hub lists it. */
export interface HubHookEvent {
  readonly id: string;
  readonly kind: string;
  readonly pathName: string | null;
  readonly occurredAt: string;
  readonly receivedAt: string;
  readonly payload: {
    readonly hookReceived: {
      readonly hook: string;
      readonly env?: Record<string, string>;
      readonly envBase64?: Record<string, string>;
      readonly origin: string;
    };
  };
}

export interface HooksStack extends AsyncDisposable {
  readonly sim: StartedSimulator;
  readonly hub: StartedHub;
  readonly nodeId: string;
  readonly dataDir: string;
  readonly hooksDir: string;
  /** The receiver's URL (the plugin's `port`). */
  readonly receiverUrl: string;
  agent(): StartedAgent;
  /** Starts the agent (again, on the same data dir). */
  startAgent(): Promise<StartedAgent>;
  stopAgent(): Promise<void>;
  /** `hook.received` events of the node at the hub, oldest first. */
  hubHooks(): Promise<HubHookEvent[]>;
}

export interface HooksStackOptions {
  readonly mimic?: SimulatorVersion;
  /** Extra `paths:` entries, as YAML lines under `paths:` (indented two spaces). */
  readonly pathsYaml?: string;
  readonly pollIntervalMs?: number;
  /** Extra config of the hooks plugin (e.g. `graceMs`). */
  readonly hooksConfig?: Readonly<Record<string, unknown>>;
}

/** The simulator's mediamtx.yml: loopback listeners on free ports, `all_others`, the snippet. */
async function mediamtxYml(mimic: SimulatorVersion | undefined, pathsYaml: string): Promise<string> {
  const snippet = mimic === "v1.9.3" ? "mtx-hooks-legacy.yml" : "mtx-hooks.yml";
  return [
    "logLevel: info",
    "api: yes\napiAddress: 127.0.0.1:0",
    "metrics: yes\nmetricsAddress: 127.0.0.1:0",
    "playback: yes\nplaybackAddress: 127.0.0.1:0",
    "hls: yes\nhlsAddress: 127.0.0.1:0",
    "rtmp: no",
    `paths:\n  all_others:\n${pathsYaml}`,
    await readFile(join(SNIPPETS, snippet), "utf8"),
  ].join("\n");
}

export async function startHooksStack(options: HooksStackOptions = {}): Promise<HooksStack> {
  const dir: TempDir = await createTempDir("mtx-hooks-e2e-");
  const dataDir = join(dir.path, "agent-data");
  const hooksDir = join(dataDir, "plugins", "hooks");
  const port = await freePort();
  const receiverUrl = `http://127.0.0.1:${port}`;
  const env = await installHookShim({ binDir: dir.path, hooksDir, receiverUrl });
  const sim = await startSimulator({
    ...(options.mimic === undefined ? {} : { mimic: options.mimic }),
    configText: await mediamtxYml(options.mimic, options.pathsYaml ?? ""),
    env,
  });
  const hub = await startHub();
  const node = await createNode(hub, {
    name: "hooks-node",
    environment: "dev",
  });
  const config = {
    mediamtx: { apiUrl: sim.apiUrl, pollIntervalMs: options.pollIntervalMs ?? POLL_INTERVAL_MS },
    hub: { url: hub.linkUrl, enrolToken: node.token, telemetryIntervalMs: 500 },
    plugins: { hooks: { config: { port, drainIntervalMs: 500, ...options.hooksConfig } } },
  };
  let agent: StartedAgent | undefined;
  const start = async (): Promise<StartedAgent> => {
    agent = await startAgent({ config, dataDir });
    // Hooks are only taken once the receiver listens.
    await waitFor(
      async () =>
        (await agent?.get("/api/v1/plugins/hooks/x/status"))?.body as { receiver?: { url: string | null } },
      (status) => status?.receiver?.url === receiverUrl,
    );
    return agent;
  };
  await start();
  return {
    sim,
    hub,
    nodeId: node.id,
    dataDir,
    hooksDir,
    receiverUrl,
    agent: () => {
      if (agent === undefined) throw new Error("the agent is not running");
      return agent;
    },
    startAgent: start,
    stopAgent: async () => {
      await agent?.[Symbol.asyncDispose]();
      agent = undefined;
    },
    hubHooks: async () => {
      const page = await hub.request("GET", `/api/v1/events?node=${node.id}&kind=hook.received&perPage=1000`);
      return (page.body as { items: HubHookEvent[] }).items;
    },
    [Symbol.asyncDispose]: async () => {
      await agent?.[Symbol.asyncDispose]();
      await hub[Symbol.asyncDispose]();
      await sim[Symbol.asyncDispose]();
      await dir[Symbol.asyncDispose]();
    },
  };
}

/** The events in the spool directory, oldest first (the wrapper's file names sort by time). */
export async function spooledEvents(
  dir: string,
): Promise<Array<{ id: string; hook: string; path: string | null }>> {
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith(".json")).sort();
  const files = await Promise.all(names.map((n) => readFile(join(dir, n), "utf8").catch(() => null)));
  return files.flatMap((text) => {
    if (text === null) return [];
    const { event } = JSON.parse(text) as { event: { id: string; hook: string; path?: string } };
    return [{ id: event.id, hook: event.hook, path: event.path ?? null }];
  });
}

/** The hub's hook events as [hook, path, origin] rows (for whole-value assertions). */
export function rows(events: readonly HubHookEvent[]): Array<[string, string | null, string]> {
  return events.map((e) => [e.payload.hookReceived.hook, e.pathName, e.payload.hookReceived.origin]);
}
