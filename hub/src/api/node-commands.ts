/**
 * Commands the API sends to agents, implemented by the link server (wired by `startHub`).
 * Each rejects with MTX_NODE_OFFLINE when the node has no live session and MTX_LINK_TIMEOUT
 * when the agent does not answer before the command's deadline.
 */
export interface NodeCommands {
  /** Asks the node's agent for a full telemetry now; resolves with the agent's result. */
  sync(nodeId: string): Promise<Readonly<Record<string, unknown>>>;
}
