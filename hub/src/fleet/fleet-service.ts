import { randomUUID } from "node:crypto";
import { toJson } from "@bufbuild/protobuf";
import { type Logger, MtxError } from "@mtx-fleet/plugin-api";
import {
  type Event,
  HostMetricsSchema,
  type NodeRef,
  NodeStatusSchema,
  type Telemetry,
} from "@mtx-fleet/proto";
import type { SecretBox } from "../auth/secret-box.ts";
import { hashSecretToken, newSecretToken } from "../auth/secret-token.ts";
import type {
  EnvironmentName,
  EventFilter,
  EventRecord,
  NodeRecord,
  Page,
  PageRequest,
  StreamHealthRecord,
  StreamRecord,
} from "../store/hub-records.ts";
import type { HubStore } from "../store/hub-store.ts";
import { pageOf } from "../store/page-of.ts";
import { type Connectivity, ConnectivityTracker } from "./connectivity-tracker.ts";
import { eventRecordOf } from "./event-record-of.ts";
import type { NodeFilter, NodeView, StreamFilter, StreamView } from "./fleet-views.ts";
import { nodeRefOf } from "./node-ref-of.ts";
import { streamIdFor } from "./stream-id-for.ts";
import { streamRecordOf } from "./stream-record-of.ts";

/** What `createNode` takes. With `apiUrl` the node is agentless (the hub reaches its MediaMTX). */
export interface CreateNodeInput {
  readonly name: string;
  readonly environment: EnvironmentName;
  readonly labels?: Readonly<Record<string, string>>;
  readonly apiUrl?: string;
  readonly username?: string;
  readonly password?: string;
  readonly rtspUrl?: string;
}

/** A one-time enrolment token as handed out once. */
export interface EnrolToken {
  readonly token: string;
  readonly expiresAt: string;
}

/** Options of `FleetService`. */
export interface FleetServiceOptions {
  readonly store: HubStore;
  readonly secrets: SecretBox;
  readonly logger: Logger;
  readonly enrolTokenTtlMs: number;
  readonly heartbeat: { readonly staleAfterMs: number; readonly offlineAfterMs: number };
  /** How often connectivity deadlines are checked. */
  readonly sweepIntervalMs?: number;
  readonly now?: () => number;
  readonly random?: () => number;
}

interface TelemetryState {
  sequence: bigint;
  /** True once a full telemetry arrived since this hub process started. */
  baseline: boolean;
  status: Record<string, unknown> | null;
  host: Record<string, unknown> | null;
}

export const DEFAULT_SWEEP_INTERVAL_MS = 1_000;

/**
 * The hub's fleet state: nodes and their enrolment, node credentials, streams rebuilt from
 * telemetry, events deduplicated by id, and connectivity from heartbeats. The link server
 * and the NATS consumer feed it; the REST API reads it.
 */
export class FleetService {
  readonly #store: HubStore;
  readonly #secrets: SecretBox;
  readonly #logger: Logger;
  readonly #enrolTokenTtlMs: number;
  readonly #now: () => number;
  readonly #tracker: ConnectivityTracker;
  readonly #telemetry = new Map<string, TelemetryState>();
  readonly #sweepIntervalMs: number;
  #sweeper: NodeJS.Timeout | undefined;
  readonly #stats = { telemetry: 0, events_stored: 0, events_duplicate: 0, events_skipped: 0 };

  constructor(options: FleetServiceOptions) {
    this.#store = options.store;
    this.#secrets = options.secrets;
    this.#logger = options.logger;
    this.#enrolTokenTtlMs = options.enrolTokenTtlMs;
    this.#now = options.now ?? Date.now;
    this.#sweepIntervalMs = options.sweepIntervalMs ?? DEFAULT_SWEEP_INTERVAL_MS;
    this.#tracker = new ConnectivityTracker({
      ...options.heartbeat,
      ...(options.random === undefined ? {} : { random: options.random }),
      onChange: (node, from, to) => {
        // Called as methods: pino's log functions need their logger as `this`.
        if (to === "online") this.#logger.info({ node, from, to }, `node ${to}`);
        else this.#logger.warn({ node, from, to }, `node ${to}`);
      },
    });
  }

  /** Starts the periodic connectivity sweep. */
  start(): void {
    this.#sweeper ??= setInterval(() => this.#tracker.sweep(this.#now()), this.#sweepIntervalMs);
    this.#sweeper.unref();
  }

  stop(): void {
    clearInterval(this.#sweeper);
    this.#sweeper = undefined;
  }

  /** Applies connectivity deadlines now (the sweep does this periodically). */
  sweep(): void {
    this.#tracker.sweep(this.#now());
  }

  // ── nodes ────────────────────────────────────────────────────────────────────────────────

  /** Creates a node; an agent node gets a one-time enrolment token, an agentless node none. */
  async createNode(input: CreateNodeInput): Promise<{ node: NodeView; enrolToken: EnrolToken | null }> {
    const nodes = await this.#store.listNodes();
    if (nodes.some((node) => node.name === input.name)) {
      throw new MtxError(
        "MTX_INVALID_INPUT",
        `a node named '${input.name}' already exists: choose another name`,
        {
          details: { issues: [{ path: "name", message: `name '${input.name}' is taken` }] },
        },
      );
    }
    const node: NodeRecord = {
      id: randomUUID(),
      name: input.name,
      environment: input.environment,
      labels: { ...input.labels },
      kind: input.apiUrl === undefined ? "agent" : "agentless",
      createdAt: new Date(this.#now()).toISOString(),
      enrolledAt: null,
      agentVersion: null,
      hostname: null,
      ...(input.apiUrl === undefined
        ? {}
        : {
            agentless: {
              apiUrl: input.apiUrl,
              ...(input.username === undefined ? {} : { username: input.username }),
              ...(input.password === undefined ? {} : { passwordSealed: this.#secrets.seal(input.password) }),
              ...(input.rtspUrl === undefined ? {} : { rtspUrl: input.rtspUrl }),
            },
          }),
    };
    await this.#store.putNode(node);
    const enrolToken = node.kind === "agent" ? await this.#issueEnrolToken(node.id) : null;
    this.#logger.info({ node: node.id, name: node.name, kind: node.kind }, "node created");
    return { node: this.#view(node), enrolToken };
  }

  /** A new one-time enrolment token for an agent node (e.g. to re-install its agent). */
  async issueEnrolToken(nodeId: string): Promise<EnrolToken> {
    const node = await this.#require(nodeId);
    if (node.kind !== "agent") {
      throw new MtxError("MTX_INVALID_INPUT", `node '${node.name}' is agentless: it does not enrol`);
    }
    return this.#issueEnrolToken(nodeId);
  }

  /** A one-time enrolment token for the hub's own in-process agent of an agentless node. */
  async issueAgentlessEnrolToken(nodeId: string): Promise<EnrolToken> {
    const node = await this.#require(nodeId);
    if (node.kind !== "agentless") {
      throw new MtxError("MTX_INVALID_INPUT", `node '${node.name}' has its own agent: it is not agentless`);
    }
    return this.#issueEnrolToken(nodeId);
  }

  async getNode(id: string): Promise<NodeView> {
    return this.#view(await this.#require(id));
  }

  async listNodes(filter: NodeFilter = {}): Promise<readonly NodeView[]> {
    const labels = Object.entries(filter.labels ?? {});
    return (await this.#store.listNodes())
      .filter(
        (node) =>
          (filter.environment === undefined || node.environment === filter.environment) &&
          labels.every(([key, value]) => node.labels[key] === value),
      )
      .map((node) => this.#view(node));
  }

  /** Removes a node and all it had at the hub; its agent's credential stops working. */
  async deleteNode(id: string): Promise<void> {
    if (!(await this.#store.deleteNode(id))) throw notFound(id);
    this.#telemetry.delete(id);
    this.#tracker.forget(id);
    this.#logger.info({ node: id }, "node deleted");
  }

  /** An agentless node's MediaMTX password in clear (for the in-process agent only). */
  async agentlessPassword(nodeId: string): Promise<string | undefined> {
    const sealed = (await this.#require(nodeId)).agentless?.passwordSealed;
    return sealed === undefined ? undefined : this.#secrets.open(sealed);
  }

  /** The raw record of a node (agentless target included), for the hub's own components. */
  async nodeRecord(nodeId: string): Promise<NodeRecord> {
    return this.#require(nodeId);
  }

  /** The proto reference of a node. */
  nodeRef(node: NodeRecord): NodeRef {
    return nodeRefOf(node);
  }

  // ── enrolment and node credentials ───────────────────────────────────────────────────────

  /**
   * Trades a one-time enrolment token for the node's identity and a new long-lived credential
   * (earlier credentials of the node are revoked). Used, expired and unknown tokens each fail
   * with MTX_UNAUTHORIZED and their own message.
   */
  async enrol(
    token: string,
    agent: { readonly agentVersion: string; readonly hostname: string },
  ): Promise<{ node: NodeRecord; nodeRef: NodeRef; credential: string }> {
    const now = this.#now();
    const result = await this.#store.consumeEnrolToken(hashSecretToken(token), now);
    switch (result.kind) {
      case "unknown":
        throw new MtxError("MTX_UNAUTHORIZED", "unknown enrolment token");
      case "used":
        throw new MtxError("MTX_UNAUTHORIZED", "enrolment token already used", {
          details: { usedAt: new Date(result.usedAt).toISOString() },
        });
      case "expired":
        throw new MtxError("MTX_UNAUTHORIZED", "enrolment token expired", {
          details: { expiredAt: new Date(result.expiresAt).toISOString() },
        });
      case "consumed":
        break;
      default:
        return result satisfies never;
    }
    const existing = await this.#store.getNode(result.token.nodeId);
    if (existing === undefined) throw new MtxError("MTX_UNAUTHORIZED", "unknown enrolment token");
    const credential = newSecretToken("node");
    await this.#store.putNodeCredential(
      { hash: hashSecretToken(credential), nodeId: existing.id, createdAt: now },
      { replaceExisting: true },
    );
    const node: NodeRecord = {
      ...existing,
      enrolledAt: new Date(now).toISOString(),
      agentVersion: agent.agentVersion || null,
      hostname: agent.hostname || null,
    };
    await this.#store.putNode(node);
    this.#logger.info({ node: node.id, name: node.name, hostname: agent.hostname }, "node enrolled");
    return { node, nodeRef: nodeRefOf(node), credential };
  }

  /** The node a credential belongs to, or MTX_UNAUTHORIZED. */
  async authenticateNode(credential: string): Promise<NodeRecord> {
    const record =
      credential === "" ? undefined : await this.#store.findNodeCredential(hashSecretToken(credential));
    const node = record === undefined ? undefined : await this.#store.getNode(record.nodeId);
    if (node === undefined) {
      throw new MtxError(
        "MTX_UNAUTHORIZED",
        "unknown node credential: enrol the agent again with a new token",
      );
    }
    return node;
  }

  // ── telemetry, events, connectivity ──────────────────────────────────────────────────────

  /**
   * Applies a node's telemetry: a full one replaces its streams, a partial one upserts and
   * removes. `needsFull` is true when the hub has no baseline for the node (it restarted, or
   * the agent did): the caller should ask the agent for a full telemetry (SyncCommand).
   */
  async ingestTelemetry(nodeId: string, telemetry: Telemetry): Promise<{ needsFull: boolean }> {
    await this.#require(nodeId);
    const claimed = telemetry.node?.nodeId ?? "";
    if (claimed !== "" && claimed !== nodeId) {
      throw new MtxError("MTX_INVALID_INPUT", `telemetry names node ${claimed}, not the sender ${nodeId}`);
    }
    const now = this.#now();
    this.#tracker.markSeen(nodeId, now);
    this.#stats.telemetry += 1;
    const updatedAt = new Date(now).toISOString();
    const streams = telemetry.paths.map((path) => streamRecordOf(nodeId, path, updatedAt));
    const previous = this.#telemetry.get(nodeId);
    const restarted = previous !== undefined && telemetry.sequence < previous.sequence;
    if (telemetry.full) await this.#store.replaceStreams(nodeId, streams);
    else {
      const removed = telemetry.removedPaths.map((path) => streamIdFor(nodeId, path));
      await this.#store.updateStreams(nodeId, streams, removed);
    }
    const baseline = telemetry.full || (previous?.baseline === true && !restarted);
    this.#telemetry.set(nodeId, {
      sequence: telemetry.sequence,
      baseline,
      status:
        telemetry.status === undefined
          ? (previous?.status ?? null)
          : jsonOf(NodeStatusSchema, telemetry.status),
      host:
        telemetry.host === undefined ? (previous?.host ?? null) : jsonOf(HostMetricsSchema, telemetry.host),
    });
    return { needsFull: !baseline };
  }

  /**
   * Stores a node's events, dropping duplicates by id, so replays are harmless. Events that
   * cannot be stored (no id, another node's) are logged and skipped rather than failing the
   * batch, which the agent would otherwise resend forever. Resolves with the highest seq stored.
   */
  async ingestEvents(nodeId: string, events: readonly Event[]): Promise<bigint> {
    await this.#require(nodeId);
    this.#tracker.markSeen(nodeId, this.#now());
    const receivedAt = new Date(this.#now());
    const records: EventRecord[] = [];
    for (const event of events) {
      const record = eventRecordOf(nodeId, event, receivedAt);
      if ("reason" in record)
        this.#logger.warn({ node: nodeId, event: record.id, reason: record.reason }, "event skipped");
      else records.push(record);
    }
    const { stored, highestSeq } = await this.#store.appendEvents(nodeId, records);
    this.#stats.events_stored += stored.length;
    this.#stats.events_duplicate += records.length - stored.length;
    this.#stats.events_skipped += events.length - records.length;
    return BigInt(highestSeq);
  }

  /** The highest event seq stored for the node: an agent resumes after it (Welcome). */
  async highestEventSeq(nodeId: string): Promise<bigint> {
    return BigInt(await this.#store.highestEventSeq(nodeId));
  }

  /** The node sent a sign of life (hello, heartbeat, telemetry, events); `at` defaults to now. */
  markSeen(nodeId: string, at: number = this.#now()): void {
    this.#tracker.markSeen(nodeId, at);
  }

  /** The node's session ended: stale now, offline later. Nothing is deleted. */
  markDisconnected(nodeId: string): void {
    this.#tracker.markDisconnected(nodeId, this.#now());
  }

  connectivity(nodeId: string): Connectivity {
    return this.#tracker.stateOf(nodeId).state;
  }

  /** Node counts per connectivity state (for metrics). */
  async connectivityCounts(): Promise<Record<Connectivity, number>> {
    const counts = { online: 0, stale: 0, offline: 0 };
    for (const node of await this.#store.listNodes()) counts[this.connectivity(node.id)] += 1;
    return counts;
  }

  /** Counts since this process started (for metrics). */
  stats(): Readonly<Record<"telemetry" | "events_stored" | "events_duplicate" | "events_skipped", number>> {
    return { ...this.#stats };
  }

  // ── streams and events for the API ───────────────────────────────────────────────────────

  async getStream(id: string): Promise<StreamView> {
    const stream = await this.#store.getStream(id);
    const node = stream === undefined ? undefined : await this.#store.getNode(stream.nodeId);
    if (stream === undefined || node === undefined) {
      throw new MtxError("MTX_NOT_FOUND", `no stream with id ${id}`);
    }
    return this.#streamView(stream, node);
  }

  async listStreams(filter: StreamFilter, page: PageRequest): Promise<Page<StreamView>> {
    const nodes = new Map((await this.#store.listNodes()).map((node) => [node.id, node]));
    const views: StreamView[] = [];
    for (const stream of await this.#store.listStreams(filter.nodeId)) {
      const node = nodes.get(stream.nodeId);
      if (node === undefined) continue;
      if (filter.environment !== undefined && node.environment !== filter.environment) continue;
      const view = this.#streamView(stream, node);
      if (filter.status !== undefined && view.status !== filter.status) continue;
      if (filter.availability !== undefined && view.availability !== filter.availability) continue;
      views.push(view);
    }
    return pageOf(views, page);
  }

  /**
   * Sets a stream's health from an on-demand probe, so the API shows it before the next
   * telemetry (which then carries the agent's own view again). Resolves with the updated view.
   */
  async recordStreamHealth(id: string, health: StreamHealthRecord): Promise<StreamView> {
    const stream = await this.#store.getStream(id);
    if (stream === undefined) throw new MtxError("MTX_NOT_FOUND", `no stream with id ${id}`);
    const updated: StreamRecord = { ...stream, health };
    await this.#store.updateStreams(stream.nodeId, [updated], []);
    return this.getStream(id);
  }

  listEvents(filter: EventFilter, page: PageRequest): Promise<Page<EventRecord>> {
    return this.#store.listEvents(filter, page);
  }

  // ── internals ────────────────────────────────────────────────────────────────────────────

  async #issueEnrolToken(nodeId: string): Promise<EnrolToken> {
    const token = newSecretToken("enrol");
    const now = this.#now();
    const expiresAt = now + this.#enrolTokenTtlMs;
    await this.#store.putEnrolToken({
      hash: hashSecretToken(token),
      nodeId,
      createdAt: now,
      expiresAt,
      usedAt: null,
    });
    return { token, expiresAt: new Date(expiresAt).toISOString() };
  }

  async #require(id: string): Promise<NodeRecord> {
    const node = await this.#store.getNode(id);
    if (node === undefined) throw notFound(id);
    return node;
  }

  #view(node: NodeRecord): NodeView {
    const { agentless, ...rest } = node;
    const connectivity = this.#tracker.stateOf(node.id);
    const telemetry = this.#telemetry.get(node.id);
    return {
      ...rest,
      agentless:
        agentless === undefined
          ? null
          : {
              apiUrl: agentless.apiUrl,
              username: agentless.username ?? null,
              hasPassword: agentless.passwordSealed !== undefined,
              rtspUrl: agentless.rtspUrl ?? null,
            },
      connectivity: {
        state: connectivity.state,
        lastSeenAt: connectivity.lastSeenAt === null ? null : new Date(connectivity.lastSeenAt).toISOString(),
      },
      status: telemetry?.status ?? null,
      host: telemetry?.host ?? null,
    };
  }

  #streamView(stream: StreamRecord, node: NodeRecord): StreamView {
    const online = this.#tracker.stateOf(node.id).state === "online";
    return {
      ...stream,
      status: online ? (stream.health?.verdict ?? "unknown") : "unknown",
      availability: !online ? "unknown" : stream.available ? "available" : "unavailable",
      nodeName: node.name,
      environment: node.environment,
    };
  }
}

function notFound(id: string): MtxError {
  return new MtxError("MTX_NOT_FOUND", `no node with id ${id}`);
}

function jsonOf(
  schema: Parameters<typeof toJson>[0],
  message: Parameters<typeof toJson>[1],
): Record<string, unknown> {
  return toJson(schema, message) as Record<string, unknown>;
}
