import type { MessageInitShape } from "@bufbuild/protobuf";
import type {
  EnrolRequest,
  Event as FleetEvent,
  Hello,
  NodeRef,
  NodeRefSchema,
  Telemetry,
} from "@mtx-fleet/proto";

/** Liveness of a node as the link sees it. Never destructive: no state means no data deleted. */
export const LINK_NODE_STATES = ["online", "stale", "offline"] as const;
/** See `LINK_NODE_STATES`. */
export type LinkNodeState = (typeof LINK_NODE_STATES)[number];

/** A node reference as handlers may return it (a message or a plain init object). */
export type NodeRefInit = MessageInitShape<typeof NodeRefSchema>;

/** What `LinkHandlers.enrol` returns for a valid token. */
export interface EnrolResult {
  readonly node: NodeRefInit;
  /** The node's own long-lived secret; the agent stores it and sends it on every session. */
  readonly credential: string;
}

/**
 * What the link server needs from the hub's fleet service. The link owns transport, sessions,
 * liveness and commands; everything durable (nodes, tokens, events) lives behind this interface.
 * Throw an MtxError to refuse: its code reaches the agent as it is (e.g. MTX_UNAUTHORIZED).
 */
export interface LinkHandlers {
  /** Trades a one-time enrol token for the node and its credential; MTX_UNAUTHORIZED if used or expired. */
  enrol(request: EnrolRequest): Promise<EnrolResult>;
  /** The node a session credential belongs to; MTX_UNAUTHORIZED for an unknown or revoked one. */
  authenticate(credential: string): Promise<NodeRefInit>;
  /** The agent said hello on a new session (version, capabilities, MediaMTX version). */
  onHello(node: NodeRef, hello: Hello): Promise<void> | void;
  /** Latest-wins telemetry sent over the session (agents without NATS). */
  onTelemetry(node: NodeRef, telemetry: Telemetry): Promise<void> | void;
  /**
   * Stores a batch of events sent over the session (deduplicating by `id`) and returns the
   * highest seq now stored for the node; the server then acks it. A throw ends the session
   * (the agent reconnects and resends from the last ack).
   */
  onEvents(node: NodeRef, events: readonly FleetEvent[]): Promise<bigint | number>;
  /** The agent was heard (hello or heartbeat), epoch ms. */
  onSeen(node: NodeRef, atMs: number): Promise<void> | void;
  /** The node's liveness changed. */
  onState(node: NodeRef, state: LinkNodeState): Promise<void> | void;
  /** Highest event seq stored for the node, sent in Welcome so the agent resumes after it. */
  eventsAckedSeq(node: NodeRef): Promise<bigint | number> | bigint | number;
}
