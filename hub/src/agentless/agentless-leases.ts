import type { Logger } from "@mtx-fleet/plugin-api";
import { JetStreamApiError, jetstream, StorageType } from "@nats-io/jetstream";
import { type KV, Kvm } from "@nats-io/kv";
import type { NatsConnection } from "@nats-io/transport-node";

/** The KV bucket of agentless leases (its keys expire `ttlMs` after their last renewal). */
export const AGENTLESS_LEASE_BUCKET = "mtx-hub-leases";
export const DEFAULT_AGENTLESS_LEASE_TTL_MS = 10_000;
/** A lease call that takes longer fails (the sync moves on; the next one retries). */
export const DEFAULT_AGENTLESS_LEASE_TIMEOUT_MS = 2_000;
/** Without a successful renewal for this share of the TTL, the holder gives the node up. */
const SAFE_SHARE_OF_TTL = 0.8;
const WRONG_LAST_SEQUENCE = 10_071;

/** Which replica runs which agentless node. */
export interface AgentlessLeases {
  /**
   * Takes the node's lease if no replica holds it, or renews the one this replica holds.
   * False when another replica holds it — or when this replica could not renew for most of
   * the TTL (NATS away): then another replica may already have taken over, so stop the node.
   */
  claim(nodeId: string): Promise<boolean>;
  /** Gives the node up (its agent stopped here), so another replica takes it at once. */
  release(nodeId: string): Promise<void>;
  /** The nodes this replica holds. */
  held(): readonly string[];
}

/** Options of `openAgentlessLeases`. */
export interface AgentlessLeasesOptions {
  readonly nc: NatsConnection;
  readonly replicaId: string;
  /** A holder that stops renewing (it died) loses the lease this long after its last renewal. */
  readonly ttlMs?: number;
  readonly replicas?: number;
  /** Each lease call fails after this (a renewal must not hold the agentless sync up). */
  readonly timeoutMs?: number;
  readonly logger: Logger;
  readonly now?: () => number;
}

interface Held {
  revision: number;
  renewedAtMs: number;
}

/**
 * Leases in a KV bucket with a TTL, one key per agentless node: the server expires a lease
 * nobody renews, so a dead replica's nodes are free again after `ttlMs` without trusting any
 * replica's clock. Taking and renewing are compare-and-set on the key's revision, so two
 * replicas never both hold one; renewals happen on every agentless sync (every 2 s).
 */
export async function openAgentlessLeases(options: AgentlessLeasesOptions): Promise<AgentlessLeases> {
  const ttlMs = options.ttlMs ?? DEFAULT_AGENTLESS_LEASE_TTL_MS;
  const now = options.now ?? Date.now;
  const logger = options.logger.child({ component: "agentless-leases" });
  const js = jetstream(options.nc, { timeout: options.timeoutMs ?? DEFAULT_AGENTLESS_LEASE_TIMEOUT_MS });
  // The first replica to create the bucket sets its TTL; later ones use the bucket as it is.
  const kv: KV = await new Kvm(js).create(AGENTLESS_LEASE_BUCKET, {
    history: 1,
    ttl: ttlMs,
    replicas: options.replicas ?? 1,
    storage: StorageType.File,
  });
  const bucketTtlMs = (await kv.status()).ttl;
  if (bucketTtlMs !== ttlMs) {
    logger.warn(
      { bucket: AGENTLESS_LEASE_BUCKET, bucketTtlMs, configuredTtlMs: ttlMs },
      "the lease bucket keeps the TTL it was created with: takeovers follow the bucket's (change it with `nats kv` or remove the bucket)",
    );
  }
  const held = new Map<string, Held>();
  const value = () =>
    JSON.stringify({ replica: options.replicaId, renewedAt: new Date(now()).toISOString() });

  const claim = async (nodeId: string): Promise<boolean> => {
    const mine = held.get(nodeId);
    try {
      const revision =
        mine === undefined
          ? await kv.create(nodeId, value())
          : await kv.update(nodeId, value(), mine.revision);
      held.set(nodeId, { revision, renewedAtMs: now() });
      if (mine === undefined)
        logger.info({ node: nodeId, replica: options.replicaId }, "agentless lease taken");
      return true;
    } catch (error) {
      if (error instanceof JetStreamApiError && error.code === WRONG_LAST_SEQUENCE) {
        // Held by another replica (or, for ours, taken over after it expired).
        if (mine !== undefined) {
          held.delete(nodeId);
          logger.warn({ node: nodeId }, "agentless lease lost to another replica");
        }
        return false;
      }
      if (mine === undefined) {
        logger.debug({ err: error, node: nodeId }, "agentless lease not taken (NATS)");
        return false;
      }
      // A NATS hiccup: keep the node while the lease surely still holds.
      const keep = now() - mine.renewedAtMs < ttlMs * SAFE_SHARE_OF_TTL;
      if (!keep) {
        held.delete(nodeId);
        logger.warn({ err: error, node: nodeId }, "agentless lease not renewed in time; giving the node up");
      }
      return keep;
    }
  };

  return {
    claim,
    release: async (nodeId) => {
      const mine = held.get(nodeId);
      held.delete(nodeId);
      if (mine === undefined) return;
      await kv.delete(nodeId, { previousSeq: mine.revision }).catch((error: unknown) => {
        logger.debug({ err: error, node: nodeId }, "agentless lease not released (it expires by itself)");
      });
    },
    held: () => [...held.keys()],
  };
}
