// The hub end of the agent link: the gRPC server of AgentLinkService, its session registry
// (one live session per node, liveness) and commands to agents.

export {
  createLinkServer,
  DEFAULT_HEARTBEAT_INTERVAL_MS,
  DEFAULT_HELLO_TIMEOUT_MS,
  DEFAULT_OFFLINE_AFTER_MS,
  DEFAULT_STALE_AFTER_MS,
  type LinkServer,
  type LinkServerOptions,
} from "./create-link-server.ts";
export {
  DEFAULT_COMMAND_TIMEOUT_MS,
  type LinkCommand,
  type LinkCommandResult,
  type SendCommandOptions,
} from "./link-command.ts";
export {
  type EnrolResult,
  LINK_NODE_STATES,
  type LinkHandlers,
  type LinkNodeState,
  type NodeRefInit,
} from "./link-handlers.ts";
export { LINK_SERVER_CHANNEL_OPTIONS } from "./link-server-channel-options.ts";
export { isLoopback, type LinkServerTls } from "./link-server-credentials.ts";
export type { LinkSession } from "./link-session.ts";
export { type NodeLinkStatus, SessionRegistry } from "./session-registry.ts";
