import type { ChannelOptions } from "@grpc/grpc-js";

/**
 * Keepalive of the link server. The hub pings every 30 s and drops a connection whose agent
 * does not answer within 10 s, so a half-open session (NAT timeout, pulled cable) ends and the
 * node turns stale. Agents ping every 20 s (see agent/src/link): the minimum ping interval
 * allowed here (10 s) is below that, so their pings are never treated as abuse.
 */
export const LINK_SERVER_CHANNEL_OPTIONS = {
  "grpc.keepalive_time_ms": 30_000,
  "grpc.keepalive_timeout_ms": 10_000,
  "grpc.keepalive_permit_without_calls": 1,
  "grpc.http2.min_ping_interval_without_data_ms": 10_000,
} as const satisfies ChannelOptions;
