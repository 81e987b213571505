import { AgentConfigSchema, type LoadedAgentConfig } from "@mtx-fleet/agent";
import { parseConfig } from "@mtx-fleet/plugin-api";

/** What the hub knows about one agentless node when it starts its in-process agent. */
export interface AgentlessAgentInput {
  readonly nodeName: string;
  /** `<hubDataDir>/agentless/<nodeId>`: the agent's state (its link credential) and outbox. */
  readonly dataDir: string;
  readonly apiUrl: string;
  readonly username?: string | undefined;
  readonly password?: string | undefined;
  /** `host:port` of the hub's own link server. */
  readonly linkUrl: string;
  /** Only when the agent has no credential yet (or it was refused). */
  readonly enrolToken?: string | undefined;
  readonly pollIntervalMs: number;
  readonly telemetryIntervalMs: number;
}

/**
 * The agent config of an agentless node, validated like a config file so defaults apply:
 * a read-only local API on a loopback port of its own, no plugins (system metrics would
 * measure the hub's host, not the node), and a hub link back to this hub.
 */
export function agentlessAgentConfig(input: AgentlessAgentInput): LoadedAgentConfig {
  const config = parseConfig(AgentConfigSchema, {
    version: 1,
    node: { name: input.nodeName },
    dataDir: input.dataDir,
    mediamtx: {
      apiUrl: input.apiUrl,
      pollIntervalMs: input.pollIntervalMs,
      ...(input.username === undefined ? {} : { username: input.username }),
      ...(input.password === undefined ? {} : { password: input.password }),
    },
    localApi: { host: "127.0.0.1", port: 0 },
    plugins: { "system-metrics": { enabled: false } },
    hub: {
      url: input.linkUrl,
      telemetryIntervalMs: input.telemetryIntervalMs,
      ...(input.enrolToken === undefined ? {} : { enrolToken: input.enrolToken }),
    },
  });
  return {
    file: `(agentless node ${input.nodeName})`,
    baseDir: input.dataDir,
    config: Object.freeze({ ...config, node: Object.freeze({ ...config.node, name: input.nodeName }) }),
  };
}
