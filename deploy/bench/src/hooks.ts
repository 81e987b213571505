// Issue #6 figures for the hooks plugin: how fast mtx-hook starts (from source and as the
// installed bundle) next to a bare `node -e 0` in the same run, and how long a hook takes from
// MediaMTX running the wrapper to the hub storing it (wrapper → agent receiver → outbox → link).
import { spawn } from "node:child_process";
import { runWrapperProcess, WRAPPER_MAIN } from "@mtx-fleet/plugin-hooks/testing";
import { freePort, type StartedHub, startAgent, startHub, waitFor } from "@mtx-fleet/testkit";
import { percentile } from "./api-latency.ts";

/** Percentiles of one series, in ms. */
export interface Spread {
  readonly runs: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

export interface HooksBenchRow {
  readonly name: string;
  readonly spread: Spread;
}

export interface HooksBench {
  /** Process start to exit, interleaved so every row sees the same machine load. */
  readonly startTime: readonly HooksBenchRow[];
  /** Hook-to-hub latency over `events` hooks (bundle, `concurrency` wrappers at a time). */
  readonly latency: {
    readonly events: number;
    readonly concurrency: number;
    /** hub receivedAt − wrapper spawn (what MediaMTX's hook costs end to end). */
    readonly spawnToHub: Spread;
    /** hub receivedAt − the wrapper's occurredAt (after Node's start-up). */
    readonly occurredToHub: Spread;
    readonly elapsedMs: number;
  };
}

export interface HooksBenchOptions {
  /** The built wrapper bundle (agent/dist/mtx-hook.mjs). */
  readonly bundle: string;
  readonly startRuns?: number;
  readonly events?: number;
  readonly concurrency?: number;
}

const TOKEN = "bench-hook-token-0123456789abcdef";

function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    runs: sorted.length,
    p50Ms: round(percentile(sorted, 0.5)),
    p90Ms: round(percentile(sorted, 0.9)),
    p99Ms: round(percentile(sorted, 0.99)),
    maxMs: round(sorted.at(-1) ?? Number.NaN),
  };
}

/** Wall time from spawn to exit of one process (stdio ignored); rejects on a non-zero exit. */
function timeRun(args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [...args], { env, stdio: "ignore" });
    child.once("error", reject);
    child.once("exit", (code) => {
      const elapsed = performance.now() - started;
      if (code === 0) resolve(elapsed);
      else reject(new Error(`${args.join(" ")} exited ${code}`));
    });
  });
}

interface HubEvent {
  readonly receivedAt: string;
  readonly occurredAt: string;
  readonly payload: { readonly hookReceived?: { readonly env?: Record<string, string> } };
}

async function hubHookEvents(hub: StartedHub, nodeId: string): Promise<HubEvent[]> {
  const all: HubEvent[] = [];
  for (let page = 0; ; page++) {
    const res = await hub.request(
      "GET",
      `/api/v1/events?node=${nodeId}&kind=hook.received&perPage=1000&page=${page}`,
    );
    const body = res.body as { items: HubEvent[]; pageCount: number };
    all.push(...body.items);
    if (page + 1 >= body.pageCount) return all;
  }
}

export async function hooksBench(options: HooksBenchOptions): Promise<HooksBench> {
  const { bundle, startRuns = 30, events = 1_000, concurrency = 4 } = options;
  await using hub = await startHub();
  const created = await hub.request("POST", "/api/v1/fleet/nodes", {
    name: "hooks-bench",
    environment: "dev",
  });
  const { node, enrolToken } = created.body as { node: { id: string }; enrolToken: { token: string } };
  const port = await freePort();
  await using agent = await startAgent({
    config: {
      log: { level: "info" },
      hub: { url: hub.linkUrl, enrolToken: enrolToken.token },
      plugins: { hooks: { config: { port, token: TOKEN, reconcile: false } } },
    },
  });
  await waitFor(
    async () => ((await agent.get("/api/v1/status")).body as { hub: { state: string } }).hub.state,
    (state) => state === "connected",
    20_000,
  );
  const hookEnv = {
    PATH: process.env.PATH ?? "",
    MTX_HOOK_URL: `http://127.0.0.1:${port}`,
    MTX_HOOK_TOKEN: TOKEN,
    MTX_PATH: "bench/start",
    MTX_READER_TYPE: "rtspSession",
  };

  // Start time: every variant once per round, so load changes hit all of them alike.
  const variants = [
    ["bare node -e 0", ["-e", "0"]],
    ["mtx-hook --help, TypeScript source", [WRAPPER_MAIN, "--help"]],
    ["mtx-hook --help, bundle", [bundle, "--help"]],
    ["mtx-hook read (delivered), source", [WRAPPER_MAIN, "read"]],
    ["mtx-hook read (delivered), bundle", [bundle, "read"]],
  ] as const;
  const samples = variants.map(() => [] as number[]);
  for (let round = 0; round < startRuns + 2; round++) {
    for (const [i, [, args]] of variants.entries()) {
      const ms = await timeRun(args, hookEnv);
      // The first two rounds warm the page cache and the agent; they are not counted.
      if (round >= 2) samples[i]?.push(ms);
    }
  }

  // Latency: `events` hooks, `concurrency` wrappers at a time, each tagged by MTX_READER_ID.
  const spawnedAt = new Map<string, number>();
  const started = Date.now();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < events) {
      const id = `bench-${next++}`;
      spawnedAt.set(id, Date.now());
      const run = await runWrapperProcess(["read"], {
        entry: bundle,
        env: { ...hookEnv, MTX_PATH: "bench/latency", MTX_READER_ID: id },
      });
      if (run.exit !== 0) throw new Error(`mtx-hook exited ${run.exit}: ${run.stderr}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const received = await waitFor(
    async () =>
      (await hubHookEvents(hub, node.id)).filter((e) =>
        spawnedAt.has(e.payload.hookReceived?.env?.MTX_READER_ID ?? ""),
      ),
    (list) => list.length >= events,
    60_000,
    250,
  );
  const elapsedMs = Date.now() - started;
  const spawnToHub = received.map(
    (e) => Date.parse(e.receivedAt) - (spawnedAt.get(e.payload.hookReceived?.env?.MTX_READER_ID ?? "") ?? 0),
  );
  const occurredToHub = received.map((e) => Date.parse(e.receivedAt) - Date.parse(e.occurredAt));
  return {
    startTime: variants.map(([name], i) => ({ name, spread: spread(samples[i] ?? []) })),
    latency: {
      events: received.length,
      concurrency,
      spawnToHub: spread(spawnToHub),
      occurredToHub: spread(occurredToHub),
      elapsedMs,
    },
  };
}
