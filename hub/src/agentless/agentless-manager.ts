import { access, readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { type RunningAgent, startAgent } from "@mtx-fleet/agent";
import { type Logger, MtxError } from "@mtx-fleet/plugin-api";
import type { FleetService } from "../fleet/fleet-service.ts";
import { agentlessAgentConfig } from "./agentless-agent-config.ts";
import type { AgentlessLeases } from "./agentless-leases.ts";

export const DEFAULT_AGENTLESS_SYNC_INTERVAL_MS = 2_000;
export const DEFAULT_AGENTLESS_POLL_INTERVAL_MS = 2_000;
export const DEFAULT_AGENTLESS_TELEMETRY_INTERVAL_MS = 2_000;
export const DEFAULT_AGENTLESS_RETRY_MAX_MS = 60_000;
const STATUS_TIMEOUT_MS = 2_000;

/** Options of `createAgentlessManager`. */
export interface AgentlessManagerOptions {
  readonly fleet: FleetService;
  /** `host:port` of the hub's link server: the in-process agents dial it like any agent. */
  readonly linkUrl: string;
  /** The hub's data dir; each agent keeps its state under `agentless/<nodeId>`. */
  readonly dataDir: string;
  readonly logger: Logger;
  /** Reported as the agents' version. */
  readonly version: string;
  /** How often the node list is compared with the running agents. */
  readonly syncIntervalMs?: number;
  /** How often each agent polls its MediaMTX. */
  readonly pollIntervalMs?: number;
  readonly telemetryIntervalMs?: number;
  /** Longest wait before retrying an agent that failed to start (doubling from the sync interval). */
  readonly retryMaxMs?: number;
  /**
   * With hub replicas: a node's agent runs only on the replica holding its lease (claimed and
   * renewed on every sync). Without, this hub runs every agentless node.
   */
  readonly leases?: AgentlessLeases;
}

/** What the manager holds for one agentless node. */
export type AgentlessAgentState =
  | { readonly kind: "running"; readonly localApiUrl: string }
  | { readonly kind: "failed"; readonly error: string; readonly failures: number; readonly retryAt: number };

/** Runs one in-process agent per agentless node of the fleet. */
export interface AgentlessManager {
  /** Starts the agents of existing agentless nodes, then follows the node list. */
  start(): Promise<void>;
  /** Compares the node list with the running agents now (the manager also does so periodically). */
  sync(): Promise<void>;
  /** The state of every agentless node's agent, by node id. */
  states(): ReadonlyMap<string, AgentlessAgentState>;
  /** Stops every agent (their state stays on disk for the next start). */
  stop(): Promise<void>;
}

type Entry =
  | { kind: "running"; agent: RunningAgent }
  | { kind: "failed"; error: string; failures: number; retryAt: number; reenrol: boolean };

/**
 * The hub's side of agentless nodes: for each node created with an `apiUrl`, an agent runs
 * inside the hub process, polls that MediaMTX and reports over the hub's own link exactly as
 * a remote agent would. An agent is started on first sight (enrolling with a fresh token the
 * first time), stopped and its data removed when the node is deleted, and one that fails is
 * logged and retried with backoff without touching the hub or the other agents.
 */
export function createAgentlessManager(options: AgentlessManagerOptions): AgentlessManager {
  const { fleet, linkUrl, logger, version, leases } = options;
  const syncIntervalMs = options.syncIntervalMs ?? DEFAULT_AGENTLESS_SYNC_INTERVAL_MS;
  const retryMaxMs = options.retryMaxMs ?? DEFAULT_AGENTLESS_RETRY_MAX_MS;
  const root = join(options.dataDir, "agentless");
  const entries = new Map<string, Entry>();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let queue: Promise<void> = Promise.resolve();

  const startOne = async (nodeId: string, reenrol: boolean): Promise<void> => {
    const record = await fleet.nodeRecord(nodeId);
    const target = record.agentless;
    if (target === undefined) return;
    const dir = join(root, nodeId);
    // A stored credential is reused; without one (first start, lost dir) the agent enrols.
    const needsToken = reenrol || !(await exists(join(dir, "state.json")));
    const enrolToken = needsToken ? (await fleet.issueAgentlessEnrolToken(nodeId)).token : undefined;
    const loaded = agentlessAgentConfig({
      nodeName: record.name,
      dataDir: dir,
      apiUrl: target.apiUrl,
      username: target.username,
      password: await fleet.agentlessPassword(nodeId),
      linkUrl,
      enrolToken,
      pollIntervalMs: options.pollIntervalMs ?? DEFAULT_AGENTLESS_POLL_INTERVAL_MS,
      telemetryIntervalMs: options.telemetryIntervalMs ?? DEFAULT_AGENTLESS_TELEMETRY_INTERVAL_MS,
    });
    const agentLogger = withLevel(logger.child({ agentless: nodeId }));
    const agent = await startAgent({ loaded, logger: agentLogger, version, builtins: [] });
    entries.set(nodeId, { kind: "running", agent });
    logger.info(
      { node: nodeId, name: record.name, mediamtx: target.apiUrl, localApiUrl: agent.localApiUrl },
      "agentless node started",
    );
  };

  const fail = (nodeId: string, error: unknown, reenrol: boolean): void => {
    const previous = entries.get(nodeId);
    const failures = previous?.kind === "failed" ? previous.failures + 1 : 1;
    const delayMs = Math.min(retryMaxMs, syncIntervalMs * 2 ** (failures - 1));
    const message = MtxError.from(error).message;
    entries.set(nodeId, { kind: "failed", error: message, failures, retryAt: Date.now() + delayMs, reenrol });
    logger.error(
      { node: nodeId, err: MtxError.from(error).toJSON(), retryInMs: delayMs },
      "agentless node failed",
    );
  };

  const ensure = async (nodeId: string): Promise<void> => {
    const entry = entries.get(nodeId);
    if (leases !== undefined && !(await leases.claim(nodeId))) {
      // Another replica runs it (or this one can no longer prove it may).
      if (entry?.kind === "running") {
        entries.delete(nodeId);
        await stopAgent(nodeId, entry.agent);
        logger.info({ node: nodeId }, "agentless node left to another hub replica");
      } else entries.delete(nodeId);
      return;
    }
    if (entry?.kind === "running") {
      // A refused credential (e.g. the store was restored without it) needs a fresh token.
      if ((await linkState(entry.agent.localApiUrl)) !== "unauthorized") return;
      await entry.agent
        .stop()
        .catch((error: unknown) =>
          logger.error({ node: nodeId, err: error }, "agentless node did not stop cleanly"),
        );
      fail(nodeId, new MtxError("MTX_UNAUTHORIZED", "the hub refused the agent's credential"), true);
      return;
    }
    if (entry !== undefined && Date.now() < entry.retryAt) return;
    try {
      await startOne(nodeId, entry?.reenrol ?? false);
    } catch (error) {
      fail(nodeId, error, entry?.reenrol ?? false);
    }
  };

  const stopAgent = (nodeId: string, agent: RunningAgent): Promise<void> =>
    agent
      .stop()
      .catch((error: unknown) =>
        logger.error({ node: nodeId, err: error }, "agentless node did not stop cleanly"),
      );

  const remove = async (nodeId: string): Promise<void> => {
    const entry = entries.get(nodeId);
    entries.delete(nodeId);
    if (entry?.kind === "running") await entry.agent.stop();
    await leases?.release(nodeId);
    await rm(join(root, nodeId), { recursive: true, force: true });
    logger.info({ node: nodeId }, "agentless node removed");
  };

  const syncOnce = async (): Promise<void> => {
    const nodes = (await fleet.listNodes()).filter((node) => node.kind === "agentless");
    const wanted = new Set(nodes.map((node) => node.id));
    for (const nodeId of [...entries.keys()].filter((id) => !wanted.has(id))) {
      await remove(nodeId).catch((error: unknown) =>
        logger.error({ node: nodeId, err: error }, "agentless node not removed cleanly"),
      );
    }
    await Promise.all(nodes.map((node) => ensure(node.id)));
  };

  const sync = (): Promise<void> => {
    const run = queue.then(async () => {
      if (stopped) return;
      await syncOnce().catch((error: unknown) => logger.error({ err: error }, "agentless sync failed"));
    });
    queue = run;
    return run;
  };

  const schedule = (): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      void sync().then(schedule);
    }, syncIntervalMs);
    timer.unref();
  };

  return {
    start: async () => {
      await removeOrphans(root, fleet, logger);
      await sync();
      schedule();
    },
    sync,
    states: () =>
      new Map(
        [...entries].map(([id, entry]): [string, AgentlessAgentState] => [
          id,
          entry.kind === "running"
            ? { kind: "running", localApiUrl: entry.agent.localApiUrl }
            : { kind: "failed", error: entry.error, failures: entry.failures, retryAt: entry.retryAt },
        ]),
      ),
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await queue;
      const running = [...entries].flatMap(([id, entry]) =>
        entry.kind === "running" ? [[id, entry.agent] as const] : [],
      );
      entries.clear();
      await Promise.all(running.map(([id, agent]) => stopAgent(id, agent)));
      // Stopped first, released after: two replicas never run one node, and the next takes it at once.
      await Promise.all((leases?.held() ?? []).map((id) => leases?.release(id)));
    },
  };
}

/** Data dirs of agentless nodes deleted while the hub was down. */
async function removeOrphans(root: string, fleet: FleetService, logger: Logger): Promise<void> {
  const dirs = await readdir(root).catch(() => [] as string[]);
  if (dirs.length === 0) return;
  const known = new Set((await fleet.listNodes()).map((node) => node.id));
  for (const dir of dirs.filter((name) => !known.has(name))) {
    await rm(join(root, dir), { recursive: true, force: true });
    logger.info({ node: dir }, "removed the data of a deleted agentless node");
  }
}

/** The agent's hub link state from its read-only local API; `undefined` when it does not answer. */
async function linkState(localApiUrl: string): Promise<string | undefined> {
  try {
    const response = await fetch(`${localApiUrl}/api/v1/status`, {
      signal: AbortSignal.timeout(STATUS_TIMEOUT_MS),
    });
    const body = (await response.json()) as { hub?: { state?: unknown } };
    return typeof body.hub?.state === "string" ? body.hub.state : undefined;
  } catch {
    return undefined;
  }
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

/** The agent wants a settable `level` (pino has one); other loggers get a nominal one. */
function withLevel(logger: Logger): Logger & { level: string } {
  if ("level" in logger && typeof logger.level === "string") return logger as Logger & { level: string };
  return Object.assign(logger, { level: "info" });
}
