export { type DaemonArgs, describeConfigError, parseDaemonArgs } from "./cli/daemon-args.ts";
export {
  type AgentConfig,
  AgentConfigSchema,
  DEFAULT_AGENT_CONFIG_PATH,
} from "./config/agent-config-schema.ts";
export { type LoadedAgentConfig, loadAgentConfig } from "./config/load-agent-config.ts";
export {
  type CredentialStore,
  createLinkClient,
  type LinkClient,
  type LinkClientOptions,
} from "./link/index.ts";
export { createNatsPublisher, type NatsPublisher } from "./nats/index.ts";
export { type Outbox, openOutbox } from "./outbox/index.ts";
export {
  PluginHost,
  type PluginHostOptions,
  type PluginSpec,
  type PluginStatus,
} from "./plugins/plugin-host.ts";
export type { PluginState } from "./plugins/plugin-state.ts";
export { type RunningAgent, type StartAgentOptions, startAgent } from "./start-agent.ts";
export { DEFAULT_STOP_STEP_TIMEOUT_MS, StopSteps } from "./stop-steps.ts";
export { type LocalStore, openLocalStore, type StoreView } from "./store/index.ts";
