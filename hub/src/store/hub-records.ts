import type { StreamVerdict } from "@mtx-fleet/plugin-api";

/** The deployment stages a node can belong to (proto `Environment` without UNSPECIFIED). */
export const ENVIRONMENTS = ["dev", "staging", "prod"] as const;
export type EnvironmentName = (typeof ENVIRONMENTS)[number];

/** API roles, weakest first: each role may do everything the ones before it may. */
export const ROLES = ["viewer", "operator", "admin"] as const;
export type Role = (typeof ROLES)[number];

/** Where an agentless node's MediaMTX is; the password is sealed (never stored or shown in clear). */
export interface AgentlessTarget {
  readonly apiUrl: string;
  readonly username?: string;
  /** AES-GCM sealed with the hub's secret key (`sealSecret`). */
  readonly passwordSealed?: string;
  readonly rtspUrl?: string;
}

/** A node of the fleet. Times are ISO strings (what the API shows). */
export interface NodeRecord {
  /** UUID issued at creation; safe in NATS subjects and URLs. */
  readonly id: string;
  readonly name: string;
  readonly environment: EnvironmentName;
  readonly labels: Readonly<Record<string, string>>;
  readonly kind: "agent" | "agentless";
  readonly createdAt: string;
  readonly enrolledAt: string | null;
  readonly agentVersion: string | null;
  readonly hostname: string | null;
  readonly agentless?: AgentlessTarget;
}

/** A one-time enrolment token, kept only as its SHA-256 hash. Times in ms since the epoch. */
export interface EnrolTokenRecord {
  readonly hash: string;
  readonly nodeId: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly usedAt: number | null;
}

/** What `consumeEnrolToken` found. */
export type ConsumeEnrolTokenResult =
  | { readonly kind: "consumed"; readonly token: EnrolTokenRecord }
  | { readonly kind: "used"; readonly usedAt: number }
  | { readonly kind: "expired"; readonly expiresAt: number }
  | { readonly kind: "unknown" };

/** A node's long-lived credential, kept only as its SHA-256 hash. */
export interface NodeCredentialRecord {
  readonly hash: string;
  readonly nodeId: string;
  readonly createdAt: number;
}

/** A person (or script) that logs in to the API. */
export interface UserRecord {
  readonly username: string;
  readonly role: Role;
  /** `scrypt$<salt>$<hash>` (base64url parts). */
  readonly passwordHash: string;
  readonly createdAt: number;
}

/** A bearer token of the API (from login or created by an admin), kept only as its hash. */
export interface ApiTokenRecord {
  readonly id: string;
  readonly hash: string;
  readonly name: string;
  readonly role: Role;
  readonly username: string;
  readonly createdAt: number;
  /** null: does not expire. */
  readonly expiresAt: number | null;
}

/** One MediaMTX path of one node, as the latest telemetry described it (soft state). */
export interface StreamRecord {
  /** `streamIdFor(nodeId, pathName)`: stable and URL-safe. */
  readonly id: string;
  readonly nodeId: string;
  readonly pathName: string;
  readonly confName: string;
  readonly available: boolean;
  readonly sourceType: string;
  readonly tracks: readonly string[];
  readonly readers: number;
  readonly inboundBytes: number;
  readonly outboundBytes: number;
  readonly inboundBytesPerSecond: number;
  readonly outboundBytesPerSecond: number;
  readonly availableSince: string | null;
  readonly updatedAt: string;
  /** The agent's verdict of the stream with its reasons and values; null while none was reported. */
  readonly health: StreamHealthRecord | null;
}

/** A stream's health as the agent judged it (proto `StreamHealth`; times as ISO strings). */
export interface StreamHealthRecord {
  readonly verdict: StreamVerdict;
  /** Empty when healthy. `severity` is the verdict the reason alone would give. */
  readonly reasons: readonly {
    readonly code: string;
    readonly severity: StreamVerdict;
    readonly message: string;
  }[];
  /** The latest measured values by name (`fps`, `width`, `bitrateBps`, `videoCodec`…). */
  readonly values: Readonly<Record<string, unknown>>;
  /** When the measurement the verdict rests on was taken; null when the agent did not say. */
  readonly checkedAt: string | null;
  /** Since when the verdict has been this one; null when the agent did not say. */
  readonly since: string | null;
}

/** One event of a node as stored at the hub (deduplicated by `id`). */
export interface EventRecord {
  readonly id: string;
  readonly nodeId: string;
  /** The agent's outbox sequence number (strictly increasing per node). */
  readonly seq: number;
  readonly kind: string;
  readonly occurredAt: string;
  readonly receivedAt: string;
  readonly streamId: string | null;
  readonly pathName: string | null;
  readonly requestId: string | null;
  /** The typed body as JSON (`{pathAvailability: ...}`, `{hookReceived: ...}`, `{json: ...}`), or null. */
  readonly payload: Readonly<Record<string, unknown>> | null;
}

/** Filters of `listEvents`; all optional, combined with AND. */
export interface EventFilter {
  readonly nodeId?: string;
  readonly kind?: string;
  /** Only events that occurred at or after this time (ms since the epoch). */
  readonly sinceMs?: number;
}

/** A page request: `page` counts from 0. */
export interface PageRequest {
  readonly page: number;
  readonly perPage: number;
}

/** One page of a listing. */
export interface Page<T> {
  readonly itemCount: number;
  readonly pageCount: number;
  readonly items: readonly T[];
}
