import type { JsonObject, MessageInitShape } from "@bufbuild/protobuf";
import type { Logger } from "@mtx-fleet/plugin-api";
import type { Command, EventSchema, HelloSchema, NodeRef, TelemetrySchema } from "@mtx-fleet/proto";
import type { Outbox, OutboxRecord } from "../outbox/index.ts";

/** Where the node credential lives between runs (the agent's local store, a file). */
export interface CredentialStore {
  get(): Promise<string | undefined>;
  /** Must be durable when it resolves: a lost credential means the node must be enrolled again. */
  set(credential: string): Promise<void>;
}

/** What the link client is doing. */
export const LINK_CLIENT_STATES = [
  "connecting",
  "connected",
  "enrolling",
  "unauthorized",
  "stopped",
] as const;
/** See `LINK_CLIENT_STATES`. */
export type LinkClientState = (typeof LINK_CLIENT_STATES)[number];

/** TLS towards the hub: paths of PEM files. */
export interface LinkClientTls {
  /** CA bundle the hub's certificate must chain to; the system roots when unset. */
  readonly ca?: string;
  /** Client certificate and key, for mutual TLS. */
  readonly cert?: string;
  readonly key?: string;
  /** Name to verify the hub's certificate against, when it differs from the host in `hubUrl`. */
  readonly serverName?: string;
}

/** The kinds of command the hub can send (the `Command.kind` oneof). */
export type CommandKind = NonNullable<Command["kind"]["case"]>;
/** The body of one command kind, e.g. `ProbeCommand` for `probe`. */
export type CommandBody<K extends CommandKind> = Extract<Command["kind"], { case: K }>["value"];

/** What a command handler knows besides the command's body. */
export interface CommandContext {
  readonly commandId: string;
  /** Epoch ms by which the hub expects the answer. */
  readonly deadlineMs: number;
  /** Aborted when the answer is due (the agent then answers MTX_LINK_TIMEOUT) or the link stops. */
  readonly signal: AbortSignal;
}

/** A command handler: returns the result's JSON (or nothing), throws an MtxError to fail. */
export type CommandHandler<K extends CommandKind> = (
  command: CommandBody<K>,
  ctx: CommandContext,
) => Promise<JsonObject | undefined> | JsonObject | undefined;

/** One handler per command kind the agent supports; the others are answered with an error. */
export type CommandHandlers = { readonly [K in CommandKind]?: CommandHandler<K> };

/** Hello fields the agent supplies (the link fills `agentVersion` and `eventsOverSession`). */
export type HelloFields = Omit<
  MessageInitShape<typeof HelloSchema>,
  "$typeName" | "agentVersion" | "eventsOverSession"
>;

/** An event envelope as `toEvent` builds it. */
export type EventInit = MessageInitShape<typeof EventSchema>;

/** Telemetry as the agent builds it; `node` is filled from Welcome when unset. */
export type TelemetryInit = MessageInitShape<typeof TelemetrySchema>;

/** Backoff between reconnects: full jitter over an exponential ceiling. */
export interface BackoffOptions {
  readonly baseMs?: number;
  readonly maxMs?: number;
  /** A random number in [0, 1); `Math.random` by default (tests pin it). */
  readonly jitter?: () => number;
}

/** Options of `createLinkClient`. */
export interface LinkClientOptions {
  /**
   * `host:port` of the hub's link server, or of each hub replica's: then one is used at a time
   * and the next one is tried after a failed attempt or an ended session, in turn.
   */
  readonly hubUrl: string | readonly string[];
  /** PEM files; plain text when unset. */
  readonly tls?: LinkClientTls | undefined;
  readonly credentialStore: CredentialStore;
  /** One-time token from the hub, used when no credential is stored (or the stored one is refused). */
  readonly enrolToken?: string | undefined;
  readonly agentVersion: string;
  /** Sent with `Enrol`; the OS host name when unset. */
  readonly hostname?: string;
  readonly hello: () => HelloFields;
  /** When set, events travel over the session (no NATS): sent after the hub's ack, acked on `hub`. */
  readonly outbox?: Outbox | undefined;
  /** Outbox cursor name; `hub` by default. */
  readonly outboxCursor?: string;
  /** Outbox record → Event envelope; the default carries the payload as JSON. */
  readonly toEvent?: (record: OutboxRecord, node: NodeRef) => EventInit;
  /** Latest-wins telemetry sent every `telemetryIntervalMs` over the session (no NATS). */
  readonly telemetry?: (() => TelemetryInit | undefined) | undefined;
  readonly telemetryIntervalMs?: number;
  /**
   * Subscribes to "the node's streams changed" (returns the unsubscribe): telemetry then goes
   * out at once instead of at the next tick, so a new or vanished stream reaches the hub right
   * after the poll that saw it.
   */
  readonly telemetryChanges?: (listener: () => void) => () => void;
  readonly commands: CommandHandlers;
  readonly logger: Logger;
  readonly backoff?: BackoffOptions;
  /** Delay between attempts while the hub refuses the token or credential. */
  readonly unauthorizedRetryMs?: number;
  /** A session whose Welcome does not arrive within this is dropped and retried. */
  readonly welcomeTimeoutMs?: number;
  /** Stops the client (like `stop()`). */
  readonly signal?: AbortSignal;
  /** Called on every state change (for logs, metrics and tests). */
  readonly onState?: (state: LinkClientState) => void;
  /** Called with the node's identity from each Welcome (e.g. to start the NATS publisher). */
  readonly onNode?: (node: NodeRef) => void;
}
