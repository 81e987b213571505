import type { ChannelOptions } from "@grpc/grpc-js";

/**
 * Keepalive of the agent's channel: a ping every 20 s, the connection dropped when the hub does
 * not answer within 10 s, so a dead path (NAT timeout, hub gone without FIN) is noticed in
 * ~30 s and the link reconnects. The hub allows pings every 10 s (hub/src/link), below 20 s.
 * The channel's own reconnect backoff is kept short: the link runs its own jittered backoff
 * and opens a fresh channel per attempt.
 */
export const LINK_CLIENT_CHANNEL_OPTIONS = {
  "grpc.keepalive_time_ms": 20_000,
  "grpc.keepalive_timeout_ms": 10_000,
  "grpc.keepalive_permit_without_calls": 1,
  "grpc.initial_reconnect_backoff_ms": 500,
  "grpc.max_reconnect_backoff_ms": 5_000,
} as const satisfies ChannelOptions;
