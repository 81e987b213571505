import type { LinkCommand } from "../link/link-command.ts";

/**
 * Commands the API sends to agents, implemented by the link server (wired by `startHub`).
 * Each rejects with MTX_NODE_OFFLINE when the node has no live session, MTX_LINK_TIMEOUT when
 * the agent does not answer before the command's deadline, and with the agent's own error
 * (its code kept) when the agent fails it.
 */
export interface NodeCommands {
  /** Asks the node's agent for a full telemetry now; resolves with the agent's result. */
  sync(nodeId: string): Promise<Readonly<Record<string, unknown>>>;
  /** Sends any command (probe, thumbnail, probe_url) with its deadline; resolves with the result. */
  send(
    nodeId: string,
    command: LinkCommand,
    options: { readonly timeoutMs: number },
  ): Promise<Readonly<Record<string, unknown>>>;
}
