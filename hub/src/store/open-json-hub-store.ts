import { join } from "node:path";
import { openLocalStore } from "@mtx-fleet/agent";
import type { Logger } from "@mtx-fleet/plugin-api";
import { groupCommit } from "./group-commit.ts";
import type {
  ApiTokenRecord,
  EnrolTokenRecord,
  EventRecord,
  NodeCredentialRecord,
  NodeRecord,
  UserRecord,
} from "./hub-records.ts";
import type { AppendEventsResult, HubStore } from "./hub-store.ts";
import { listEventsOf } from "./list-events-of.ts";
import { StreamIndex } from "./stream-index.ts";

export const DEFAULT_MAX_EVENTS_PER_NODE = 10_000;
/** Used and expired enrolment tokens and expired API tokens are dropped after this long. */
const EXPIRED_RECORD_KEEP_MS = 86_400_000;

/** Options of `openJsonHubStore`. */
export interface JsonHubStoreOptions {
  /** The store file is `<dataDir>/hub-store.json` (its `.bak` beside it). */
  readonly dataDir: string;
  readonly maxEventsPerNode?: number;
  readonly logger?: Logger;
}

interface Records {
  nodes: Record<string, NodeRecord>;
  enrolTokens: Record<string, EnrolTokenRecord>;
  nodeCredentials: Record<string, NodeCredentialRecord>;
  users: Record<string, UserRecord>;
  apiTokens: Record<string, ApiTokenRecord>;
}

interface NodeEvents {
  highestSeq: number;
  /** Events with seq at or below this were dropped from the window: a replay of them is old. */
  floorSeq: number;
  items: EventRecord[];
}

interface EventsDoc {
  byNode: Record<string, NodeEvents>;
}

const EMPTY_RECORDS: Records = { nodes: {}, enrolTokens: {}, nodeCredentials: {}, users: {}, apiTokens: {} };

/**
 * The single-replica `HubStore`: one JSON file written atomically and fsync'd through lowdb
 * (the agent's durable adapter, with a `.bak` generation), writes grouped into one fsync per
 * burst. Streams are soft state and live in memory only: agents resend a full telemetry on
 * every new session, and the fleet service asks for one when it has no baseline.
 */
export async function openJsonHubStore(options: JsonHubStoreOptions): Promise<HubStore> {
  const maxEventsPerNode = options.maxEventsPerNode ?? DEFAULT_MAX_EVENTS_PER_NODE;
  const file = await openLocalStore<Records>({
    file: join(options.dataDir, "hub-store.json"),
    defaults: EMPTY_RECORDS,
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  });
  const eventsView = file.namespace<EventsDoc>("events", { byNode: {} });
  const records = groupCommit(file);
  const events = groupCommit(eventsView);
  const streams = new StreamIndex();

  return {
    getNode: async (id) => file.read().nodes[id],
    listNodes: async () => Object.values(file.read().nodes).sort((a, b) => a.name.localeCompare(b.name)),
    putNode: (node) =>
      records((draft) => {
        draft.nodes[node.id] = node;
      }),
    deleteNode: async (id) => {
      streams.dropNode(id);
      await events((draft) => {
        delete draft.byNode[id];
      });
      return records((draft) => {
        if (draft.nodes[id] === undefined) return false;
        delete draft.nodes[id];
        for (const table of [draft.enrolTokens, draft.nodeCredentials]) {
          for (const [hash, record] of Object.entries(table)) if (record.nodeId === id) delete table[hash];
        }
        return true;
      });
    },

    putEnrolToken: (token) =>
      records((draft) => {
        for (const [hash, old] of Object.entries(draft.enrolTokens)) {
          if (old.expiresAt + EXPIRED_RECORD_KEEP_MS < token.createdAt) delete draft.enrolTokens[hash];
        }
        draft.enrolTokens[token.hash] = token;
      }),
    consumeEnrolToken: (hash, now) =>
      records((draft) => {
        const token = draft.enrolTokens[hash];
        if (token === undefined) return { kind: "unknown" } as const;
        if (token.usedAt !== null) return { kind: "used", usedAt: token.usedAt } as const;
        if (token.expiresAt <= now) return { kind: "expired", expiresAt: token.expiresAt } as const;
        const consumed = { ...token, usedAt: now };
        draft.enrolTokens[hash] = consumed;
        return { kind: "consumed", token: consumed } as const;
      }),

    putNodeCredential: (credential, { replaceExisting = false } = {}) =>
      records((draft) => {
        if (replaceExisting) {
          for (const [hash, old] of Object.entries(draft.nodeCredentials)) {
            if (old.nodeId === credential.nodeId) delete draft.nodeCredentials[hash];
          }
        }
        draft.nodeCredentials[credential.hash] = credential;
      }),
    findNodeCredential: async (hash) => file.read().nodeCredentials[hash],

    getUser: async (username) => file.read().users[username],
    createUser: (user) =>
      records((draft) => {
        if (draft.users[user.username] !== undefined) return false;
        draft.users[user.username] = user;
        return true;
      }),
    putUser: (user) =>
      records((draft) => {
        draft.users[user.username] = user;
      }),

    putApiToken: (token) =>
      records((draft) => {
        for (const [hash, old] of Object.entries(draft.apiTokens)) {
          if (old.expiresAt !== null && old.expiresAt + EXPIRED_RECORD_KEEP_MS < token.createdAt) {
            delete draft.apiTokens[hash];
          }
        }
        draft.apiTokens[token.hash] = token;
      }),
    findApiToken: async (hash) => file.read().apiTokens[hash],
    listApiTokens: async () =>
      Object.values(file.read().apiTokens).sort(
        (a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id),
      ),
    deleteApiToken: (id) =>
      records((draft) => {
        const found = Object.values(draft.apiTokens).find((token) => token.id === id);
        if (found === undefined) return false;
        delete draft.apiTokens[found.hash];
        return true;
      }),

    replaceStreams: async (nodeId, list) => streams.replace(nodeId, list),
    updateStreams: async (_nodeId, upserts, removedIds) => streams.update(upserts, removedIds),
    getStream: async (id) => streams.get(id),
    listStreams: async (nodeId) => streams.list(nodeId),

    appendEvents: (nodeId, list) =>
      events((draft): AppendEventsResult => {
        const current = draft.byNode[nodeId] ?? { highestSeq: 0, floorSeq: 0, items: [] };
        const known = new Set(current.items.map((event) => event.id));
        const fresh: EventRecord[] = [];
        for (const event of list) {
          if (known.has(event.id) || event.seq <= current.floorSeq) continue;
          known.add(event.id);
          fresh.push(event);
        }
        if (fresh.length === 0) return { stored: [], highestSeq: current.highestSeq };
        const items = [...current.items, ...fresh].sort((a, b) => a.seq - b.seq);
        const dropped = items.splice(0, Math.max(0, items.length - maxEventsPerNode));
        draft.byNode[nodeId] = {
          highestSeq: Math.max(current.highestSeq, ...fresh.map((event) => event.seq)),
          floorSeq: Math.max(current.floorSeq, ...dropped.map((event) => event.seq)),
          items,
        };
        return { stored: fresh, highestSeq: draft.byNode[nodeId].highestSeq };
      }),
    highestEventSeq: async (nodeId) => eventsView.read().byNode[nodeId]?.highestSeq ?? 0,
    listEvents: async (filter, page) => {
      const { byNode } = eventsView.read();
      return listEventsOf(
        (nodeId) => byNode[nodeId]?.items,
        () => Object.values(byNode).map((node) => node.items),
        filter,
        page,
      );
    },

    close: () => file.close(),
  };
}
