import { create, fromBinary, type JsonObject, toBinary } from "@bufbuild/protobuf";
import { timestampDate, timestampFromMs } from "@bufbuild/protobuf/wkt";
import { type Logger, MtxError, type MtxErrorBody } from "@mtx-fleet/plugin-api";
import { CommandSchema, type Telemetry, TelemetrySchema, telemetrySubject } from "@mtx-fleet/proto";
import { errors, headers, type Msg, type NatsConnection, type Subscription } from "@nats-io/transport-node";
import type { LinkCommand, LinkCommandResult, LinkServer, SendCommandOptions } from "../link/index.ts";
import { DEFAULT_COMMAND_TIMEOUT_MS } from "../link/index.ts";
import {
  HUB_REPLICA_HEADER,
  nodeCommandSubject,
  PRESENCE_SUBJECT,
  REPLICAS_SUBJECT,
} from "./hub-subjects.ts";

/** Extra time a forwarded command gets for the hop between replicas. */
const FORWARD_MARGIN_MS = 2_000;
export const DEFAULT_REPLICA_ANNOUNCE_INTERVAL_MS = 5_000;
/** A peer not heard for this many announce intervals is gone. */
const PEER_LOST_AFTER_INTERVALS = 3;

/** A node's liveness as one replica tells the others. */
export interface PresenceMessage {
  readonly replica: string;
  readonly nodeId: string;
  readonly kind: "seen" | "gone";
  readonly atMs: number;
}

/** What the bus tells this replica's fleet about nodes whose session another replica holds. */
export interface ReplicaBusFleet {
  markSeen(nodeId: string, atMs: number): void;
  markDisconnected(nodeId: string): void;
}

/** Options of `startReplicaBus`. */
export interface ReplicaBusOptions {
  readonly nc: NatsConnection;
  /** This process; unique per start. */
  readonly replicaId: string;
  readonly fleet: ReplicaBusFleet;
  readonly logger: Logger;
  /** How often this replica tells the others it is alive. */
  readonly announceIntervalMs?: number;
}

/** How hub replicas reach each other's agents and share liveness over NATS. */
export interface ReplicaBus {
  /** Binds the local link server (commands for its sessions are answered through it). */
  attach(link: LinkServer): void;
  /**
   * Sends a command to a node wherever its session is: through the local link when this replica
   * holds it, else to the replica that does. MTX_NODE_OFFLINE when no replica has a session.
   */
  sendCommand(nodeId: string, command: LinkCommand, options?: SendCommandOptions): Promise<LinkCommandResult>;
  /** The local link opened (true) or lost (false) the node's session. */
  sessionChanged(nodeId: string, hasSession: boolean): void;
  /** Tells the other replicas the node was heard here at `atMs`. */
  publishSeen(nodeId: string, atMs: number): void;
  /** Tells the other replicas the node's session here ended for good (offline). */
  publishGone(nodeId: string): void;
  /** Relays telemetry received over a local session to the other replicas. */
  relayTelemetry(environment: string, nodeId: string, telemetry: Telemetry): void;
  /** The other replicas heard from lately (the relays run only while there is one). */
  peers(): readonly string[];
  stop(): Promise<void>;
}

type ForwardReply =
  | { readonly ok: true; readonly commandId: string; readonly value: JsonObject }
  | { readonly ok: false; readonly error: MtxErrorBody };

/**
 * The replica bus: a per-node command subject that only the replica holding the node's
 * session subscribes to (NATS interest is the session directory: a replica that dies takes
 * its subscriptions along, so a command never waits on a dead owner), plus presence and
 * telemetry relays so every replica shows the same connectivity and streams.
 */
export function startReplicaBus(options: ReplicaBusOptions): ReplicaBus {
  const { nc, replicaId, fleet } = options;
  const logger = options.logger.child({ component: "replica-bus", replica: replicaId });
  const subscriptions = new Map<string, Subscription>();
  let link: LinkServer | undefined;

  // Peers announce themselves; a new one is answered at once, so relays reach it from its start.
  const announceIntervalMs = options.announceIntervalMs ?? DEFAULT_REPLICA_ANNOUNCE_INTERVAL_MS;
  const peers = new Map<string, number>();
  const announce = (): void => {
    try {
      nc.publish(REPLICAS_SUBJECT, JSON.stringify({ replica: replicaId }));
    } catch (error) {
      logger.debug({ err: error }, "replica announce not published");
    }
  };
  const replicas = nc.subscribe(REPLICAS_SUBJECT, {
    callback: (error, msg) => {
      if (error !== null) return;
      const peer = decodeAnnounce(msg);
      if (peer === undefined || peer === replicaId) return;
      if (!peers.has(peer)) {
        logger.info({ peer }, "hub replica joined");
        announce();
      }
      peers.set(peer, Date.now());
    },
  });
  announce();
  const announcer = setInterval(announce, announceIntervalMs);
  announcer.unref();
  const hasPeers = (): boolean => {
    const cutoff = Date.now() - announceIntervalMs * PEER_LOST_AFTER_INTERVALS;
    for (const [peer, seenAt] of peers) {
      if (seenAt >= cutoff) return true;
      peers.delete(peer);
      logger.info({ peer }, "hub replica gone");
    }
    return false;
  };

  const presence = nc.subscribe(PRESENCE_SUBJECT, {
    callback: (error, msg) => {
      if (error !== null) return;
      const message = decodePresence(msg);
      if (message === undefined || message.replica === replicaId) return;
      if (message.kind === "seen") fleet.markSeen(message.nodeId, message.atMs);
      else fleet.markDisconnected(message.nodeId);
    },
  });

  const answer = async (nodeId: string, msg: Msg): Promise<void> => {
    const session = link?.sessions.session(nodeId);
    // Not (or no longer) ours: stay silent so the replica that has it answers.
    if (link === undefined || session === undefined) return;
    let reply: ForwardReply;
    try {
      const command = fromBinary(CommandSchema, msg.data);
      if (command.kind.case === undefined)
        throw new MtxError("MTX_INVALID_INPUT", "forwarded command has no kind");
      const deadlineMs =
        command.deadline === undefined ? Date.now() : timestampDate(command.deadline).getTime();
      const result = await link.sendCommand(nodeId, command.kind, {
        timeoutMs: Math.max(1, deadlineMs - Date.now()),
      });
      reply = { ok: true, commandId: result.commandId, value: result.value };
    } catch (error) {
      reply = { ok: false, error: MtxError.from(error).toJSON() };
    }
    msg.respond(JSON.stringify(reply));
  };

  const forward = async (
    nodeId: string,
    command: LinkCommand,
    timeoutMs: number,
  ): Promise<LinkCommandResult> => {
    const body = toBinary(
      CommandSchema,
      create(CommandSchema, { kind: command, deadline: timestampFromMs(Date.now() + timeoutMs) }),
    );
    let msg: Msg;
    try {
      msg = await nc.request(nodeCommandSubject(nodeId), body, { timeout: timeoutMs + FORWARD_MARGIN_MS });
    } catch (error) {
      if (isNoResponders(error)) {
        throw new MtxError("MTX_NODE_OFFLINE", `node ${nodeId} has no live session with any hub replica`, {
          details: { nodeId },
        });
      }
      if (error instanceof errors.TimeoutError || (error as Error).cause instanceof errors.TimeoutError) {
        throw new MtxError("MTX_LINK_TIMEOUT", `node ${nodeId} did not answer within ${timeoutMs} ms`, {
          details: { nodeId, timeoutMs },
        });
      }
      throw MtxError.from(error, "MTX_NATS_UNAVAILABLE");
    }
    const reply = msg.json<ForwardReply>();
    if (reply.ok) return { commandId: reply.commandId, value: reply.value };
    throw new MtxError(reply.error.code, reply.error.message, {
      ...(reply.error.details === undefined ? {} : { details: reply.error.details }),
    });
  };

  const publishPresence = (message: PresenceMessage): void => {
    if (!hasPeers()) return;
    try {
      nc.publish(PRESENCE_SUBJECT, JSON.stringify(message));
    } catch (error) {
      logger.debug({ err: error, node: message.nodeId }, "presence not published");
    }
  };

  return {
    attach: (next) => {
      link = next;
    },
    sendCommand: (nodeId, command, { timeoutMs = DEFAULT_COMMAND_TIMEOUT_MS } = {}) =>
      link?.sessions.session(nodeId) !== undefined
        ? link.sendCommand(nodeId, command, { timeoutMs })
        : forward(nodeId, command, timeoutMs),
    sessionChanged: (nodeId, hasSession) => {
      const current = subscriptions.get(nodeId);
      if (hasSession && current === undefined) {
        subscriptions.set(
          nodeId,
          nc.subscribe(nodeCommandSubject(nodeId), {
            callback: (error, msg) => {
              if (error === null) void answer(nodeId, msg);
            },
          }),
        );
      } else if (!hasSession && current !== undefined) {
        current.unsubscribe();
        subscriptions.delete(nodeId);
      }
    },
    publishSeen: (nodeId, atMs) => publishPresence({ replica: replicaId, nodeId, kind: "seen", atMs }),
    publishGone: (nodeId) => publishPresence({ replica: replicaId, nodeId, kind: "gone", atMs: Date.now() }),
    relayTelemetry: (environment, nodeId, telemetry) => {
      // A lone hub (NATS but no peer) does not pay for relays nobody reads.
      if (!hasPeers()) return;
      const h = headers();
      h.set(HUB_REPLICA_HEADER, replicaId);
      try {
        nc.publish(telemetrySubject({ environment, nodeId }), toBinary(TelemetrySchema, telemetry), {
          headers: h,
        });
      } catch (error) {
        logger.debug({ err: error, node: nodeId }, "telemetry not relayed");
      }
    },
    peers: () => (hasPeers() ? [...peers.keys()] : []),
    stop: async () => {
      clearInterval(announcer);
      replicas.unsubscribe();
      presence.unsubscribe();
      for (const subscription of subscriptions.values()) subscription.unsubscribe();
      subscriptions.clear();
    },
  };
}

function decodeAnnounce(msg: Msg): string | undefined {
  try {
    const { replica } = msg.json<{ replica?: unknown }>();
    return typeof replica === "string" && replica !== "" ? replica : undefined;
  } catch {
    return undefined;
  }
}

function decodePresence(msg: Msg): PresenceMessage | undefined {
  try {
    const value = msg.json<PresenceMessage>();
    return typeof value.nodeId === "string" &&
      typeof value.replica === "string" &&
      typeof value.atMs === "number" &&
      (value.kind === "seen" || value.kind === "gone")
      ? value
      : undefined;
  } catch {
    return undefined;
  }
}

function isNoResponders(error: unknown): boolean {
  return (
    (error instanceof errors.RequestError && error.isNoResponders()) ||
    error instanceof errors.NoRespondersError ||
    (error instanceof Error && error.cause instanceof errors.NoRespondersError)
  );
}
