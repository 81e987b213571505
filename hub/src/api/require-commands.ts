import { MtxError } from "@mtx-fleet/plugin-api";
import type { HubApiDeps } from "./create-hub-api.ts";
import type { NodeCommands } from "./node-commands.ts";

/** The link's commands, or MTX_NODE_OFFLINE (503) while this hub runs no link server. */
export function requireCommands(deps: HubApiDeps): NodeCommands {
  const commands = deps.commands();
  if (commands === undefined) {
    throw new MtxError(
      "MTX_NODE_OFFLINE",
      "this hub has no link server running: commands cannot reach agents",
    );
  }
  return commands;
}
