import type {
  ApiTokenRecord,
  ConsumeEnrolTokenResult,
  EnrolTokenRecord,
  EventFilter,
  EventRecord,
  NodeCredentialRecord,
  NodeRecord,
  Page,
  PageRequest,
  StreamRecord,
  UserRecord,
} from "./hub-records.ts";

/** What `appendEvents` did. */
export interface AppendEventsResult {
  /** The events that were new (duplicates and events older than the kept window are left out). */
  readonly stored: readonly EventRecord[];
  /** The highest seq the store holds or has held for the node (0 when none). */
  readonly highestSeq: number;
}

/**
 * Everything the hub keeps, behind one interface so that a JetStream KV implementation (hub
 * replicas) can replace the single-replica JSON file. The rules that make that possible:
 * - every method is async and addresses records by key (id, hash, username): no queries that
 *   need a secondary index the KV does not have, except listings that may scan;
 * - no cross-record transactions; the one read-check-write that must not race between
 *   replicas, using an enrolment token once, is a compare-and-set method of its own;
 * - secrets are never stored: tokens and credentials as SHA-256 hashes, passwords as scrypt;
 * - streams are soft state (rebuilt from the next full telemetry), so an implementation may
 *   keep them in memory; nodes, tokens, users and events are durable.
 * A resolved write is durable.
 */
export interface HubStore {
  getNode(id: string): Promise<NodeRecord | undefined>;
  listNodes(): Promise<readonly NodeRecord[]>;
  /** Creates or replaces the node with `node.id`. */
  putNode(node: NodeRecord): Promise<void>;
  /**
   * Removes the node and everything keyed by it (enrol tokens, credentials, streams, events).
   * Resolves false when there was no such node.
   */
  deleteNode(id: string): Promise<boolean>;

  putEnrolToken(token: EnrolTokenRecord): Promise<void>;
  /**
   * Marks the token with `hash` used at `now` if it is unused and not expired, atomically
   * (compare-and-set: of two concurrent calls at most one gets "consumed").
   */
  consumeEnrolToken(hash: string, now: number): Promise<ConsumeEnrolTokenResult>;

  /** Adds a credential of a node; `replaceExisting` revokes the node's earlier credentials. */
  putNodeCredential(credential: NodeCredentialRecord, options?: { replaceExisting?: boolean }): Promise<void>;
  findNodeCredential(hash: string): Promise<NodeCredentialRecord | undefined>;

  getUser(username: string): Promise<UserRecord | undefined>;
  /**
   * Stores the user only if none has its name, atomically (of two replicas creating the first
   * admin at once, one wins). Resolves false when the name was taken.
   */
  createUser(user: UserRecord): Promise<boolean>;
  putUser(user: UserRecord): Promise<void>;

  putApiToken(token: ApiTokenRecord): Promise<void>;
  findApiToken(hash: string): Promise<ApiTokenRecord | undefined>;
  /** Every API token (their hashes and metadata), oldest first. */
  listApiTokens(): Promise<readonly ApiTokenRecord[]>;
  /** Revokes the API token with this id; resolves false when there was none. */
  deleteApiToken(id: string): Promise<boolean>;

  /** Replaces all streams of a node (full telemetry). */
  replaceStreams(nodeId: string, streams: readonly StreamRecord[]): Promise<void>;
  /** Upserts and removes streams of a node by id (partial telemetry). */
  updateStreams(
    nodeId: string,
    upserts: readonly StreamRecord[],
    removedIds: readonly string[],
  ): Promise<void>;
  getStream(id: string): Promise<StreamRecord | undefined>;
  /** Streams of one node, or of all nodes; ordered by node id, then path name. */
  listStreams(nodeId?: string): Promise<readonly StreamRecord[]>;

  /**
   * Stores the events of a node that are new: an id already stored, or a seq at or below the
   * window the store has already dropped, is a duplicate (replays are idempotent). Keeps at most
   * the newest `maxEventsPerNode` events of each node.
   */
  appendEvents(nodeId: string, events: readonly EventRecord[]): Promise<AppendEventsResult>;
  /** The highest event seq stored (or once stored) for the node; 0 when none. */
  highestEventSeq(nodeId: string): Promise<number>;
  /** Events matching `filter`, oldest first (by occurrence, then node, then seq). */
  listEvents(filter: EventFilter, page: PageRequest): Promise<Page<EventRecord>>;

  /** Waits for pending writes; later calls reject. */
  close(): Promise<void>;
}
