export { type AgentlessAgentInput, agentlessAgentConfig } from "./agentless-agent-config.ts";
export {
  AGENTLESS_LEASE_BUCKET,
  type AgentlessLeases,
  type AgentlessLeasesOptions,
  DEFAULT_AGENTLESS_LEASE_TTL_MS,
  openAgentlessLeases,
} from "./agentless-leases.ts";
export {
  type AgentlessAgentState,
  type AgentlessManager,
  type AgentlessManagerOptions,
  createAgentlessManager,
  DEFAULT_AGENTLESS_POLL_INTERVAL_MS,
  DEFAULT_AGENTLESS_SYNC_INTERVAL_MS,
  DEFAULT_AGENTLESS_TELEMETRY_INTERVAL_MS,
} from "./agentless-manager.ts";
