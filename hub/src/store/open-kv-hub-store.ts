import { type Logger, MtxError } from "@mtx-fleet/plugin-api";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import type { HubStore } from "./hub-store.ts";
import { KvEventLog } from "./kv-event-log.ts";
import { KvRecords } from "./kv-records.ts";
import { listEventsOf } from "./list-events-of.ts";
import { natsFailure } from "./nats-failure.ts";
import { DEFAULT_MAX_EVENTS_PER_NODE } from "./open-json-hub-store.ts";
import { StreamIndex } from "./stream-index.ts";

/** Used and expired enrolment tokens and expired API tokens are dropped after this long. */
const EXPIRED_RECORD_KEEP_MS = 86_400_000;
const CONSUME_ATTEMPTS = 5;

/** Options of `openKvHubStore`. */
export interface KvHubStoreOptions {
  /** An open connection (the caller owns it: `close()` leaves it open). */
  readonly nc: NatsConnection;
  readonly maxEventsPerNode?: number;
  /** JetStream replicas of the bucket and the events stream (1 on one server, 3 on a cluster). */
  readonly replicas?: number;
  readonly logger: Logger;
}

/** Small named values every replica must agree on (the key that seals agentless passwords). */
export interface SharedValues {
  get(name: string): Promise<string | undefined>;
  /** Stores `value` unless the name has one already; resolves with the value that holds. */
  createIfAbsent(name: string, value: string): Promise<string>;
}

/** The JetStream `HubStore`, plus the values the replicas share. */
export interface KvHubStore extends HubStore {
  readonly shared: SharedValues;
}

/**
 * The `HubStore` hub replicas share: records in the `mtx-hub` KV bucket, events in the
 * `MTX_HUB_EVENTS` stream, both followed into memory by every replica (listings and lookups
 * are local), every write acknowledged by JetStream before it resolves. Using an enrolment
 * token is a compare-and-set on the key's revision, so two replicas can never both use one.
 * Streams are soft state and stay per replica: every replica receives every telemetry.
 * While NATS is away reads keep answering from memory and writes fail with
 * MTX_NATS_UNAVAILABLE; the connection and followers recover on their own.
 */
export async function openKvHubStore(options: KvHubStoreOptions): Promise<KvHubStore> {
  const { nc, logger } = options;
  const replicas = options.replicas ?? 1;
  const streams = new StreamIndex();
  let events: KvEventLog | undefined;
  let records: KvRecords;
  try {
    const js = jetstream(nc);
    const jsm = await jetstreamManager(nc);
    records = await KvRecords.open({
      js,
      replicas,
      logger,
      onDeleted: (kind, id) => {
        if (kind !== "node") return;
        streams.dropNode(id);
        events?.forget(id);
      },
    });
    events = await KvEventLog.open({
      js,
      jsm,
      replicas,
      maxEventsPerNode: options.maxEventsPerNode ?? DEFAULT_MAX_EVENTS_PER_NODE,
      logger,
    });
  } catch (error) {
    throw natsFailure(error, "opening the hub store on JetStream");
  }
  const log = events;
  let closed = false;
  const inFlight = new Set<Promise<unknown>>();
  // Every call is counted so close() can wait for it; calls after close() reject.
  const guard =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> => {
      if (closed) return Promise.reject(new MtxError("MTX_INTERNAL", "the hub store is closed"));
      const running = call(...args);
      inFlight.add(running);
      void running.finally(() => inFlight.delete(running)).catch(() => undefined);
      return running;
    };
  const nodes = records.index("node");
  const enrolTokens = records.index("enrol");
  const credentials = records.index("cred");
  const apiTokens = records.index("token");

  const store: KvHubStore = {
    getNode: guard((id) => records.lookup("node", id)),
    listNodes: guard(async () => nodes.values().sort((a, b) => a.name.localeCompare(b.name))),
    putNode: guard((node) => records.put("node", node.id, node)),
    deleteNode: guard(async (id) => {
      if ((await records.lookup("node", id)) === undefined) return false;
      // The node's key goes last: a failure part-way leaves a node that can be deleted again.
      await log.purge(id);
      for (const [hash, token] of enrolTokens.entries())
        if (token.nodeId === id) await records.delete("enrol", hash);
      for (const [hash, credential] of credentials.entries())
        if (credential.nodeId === id) await records.delete("cred", hash);
      await records.delete("node", id);
      streams.dropNode(id);
      return true;
    }),

    putEnrolToken: guard(async (token) => {
      for (const [hash, old] of enrolTokens.entries())
        if (old.expiresAt + EXPIRED_RECORD_KEEP_MS < token.createdAt) await records.delete("enrol", hash);
      await records.put("enrol", token.hash, token);
    }),
    consumeEnrolToken: guard(async (hash, now) => {
      for (let attempt = 1; attempt <= CONSUME_ATTEMPTS; attempt += 1) {
        const current = await records.read("enrol", hash);
        if (current === undefined) return { kind: "unknown" } as const;
        const token = current.value;
        if (token.usedAt !== null) return { kind: "used", usedAt: token.usedAt } as const;
        if (token.expiresAt <= now) return { kind: "expired", expiresAt: token.expiresAt } as const;
        const consumed = { ...token, usedAt: now };
        // Lost to another writer: read again, which now sees the token used.
        if (await records.update("enrol", hash, consumed, current.revision))
          return { kind: "consumed", token: consumed } as const;
      }
      throw new MtxError("MTX_INTERNAL", `enrolment token kept changing under ${CONSUME_ATTEMPTS} attempts`);
    }),

    putNodeCredential: guard(async (credential, { replaceExisting = false } = {}) => {
      if (replaceExisting) {
        for (const [hash, old] of credentials.entries())
          if (old.nodeId === credential.nodeId && hash !== credential.hash)
            await records.delete("cred", hash);
      }
      await records.put("cred", credential.hash, credential);
    }),
    findNodeCredential: guard((hash) => records.lookup("cred", hash)),

    getUser: guard((username) => records.lookup("user", username)),
    createUser: guard((user) => records.create("user", user.username, user)),
    putUser: guard((user) => records.put("user", user.username, user)),

    putApiToken: guard(async (token) => {
      for (const [hash, old] of apiTokens.entries())
        if (old.expiresAt !== null && old.expiresAt + EXPIRED_RECORD_KEEP_MS < token.createdAt)
          await records.delete("token", hash);
      await records.put("token", token.hash, token);
    }),
    findApiToken: guard((hash) => records.lookup("token", hash)),
    listApiTokens: guard(async () =>
      apiTokens.values().sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id)),
    ),
    deleteApiToken: guard(async (id) => {
      const found = apiTokens.values().find((token) => token.id === id);
      if (found === undefined) return false;
      await records.delete("token", found.hash);
      return true;
    }),

    replaceStreams: guard(async (nodeId, list) => streams.replace(nodeId, list)),
    updateStreams: guard(async (_nodeId, upserts, removedIds) => streams.update(upserts, removedIds)),
    getStream: guard(async (id) => streams.get(id)),
    listStreams: guard(async (nodeId) => streams.list(nodeId)),

    appendEvents: guard((nodeId, list) => log.append(nodeId, list)),
    highestEventSeq: guard(async (nodeId) => log.highestSeq(nodeId)),
    listEvents: guard(async (filter, page) =>
      listEventsOf(
        (nodeId) => log.events(nodeId),
        () => log.allEvents(),
        filter,
        page,
      ),
    ),

    shared: {
      get: guard((name) => records.lookup("meta", name)),
      createIfAbsent: guard(async (name, value) => {
        if (await records.create("meta", name, value)) return value;
        const stored = await records.read("meta", name);
        if (stored === undefined) throw new MtxError("MTX_INTERNAL", `shared value '${name}' vanished`);
        return stored.value;
      }),
    },

    close: async () => {
      closed = true;
      await Promise.allSettled([...inFlight]);
      await Promise.all([records.stop(), log.stop()]);
    },
  };
  return store;
}
