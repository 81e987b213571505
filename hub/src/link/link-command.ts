import type { JsonObject, MessageInitShape } from "@bufbuild/protobuf";
import type { CommandSchema } from "@mtx-fleet/proto";

/** Deadline of a command sent without `timeoutMs`. */
export const DEFAULT_COMMAND_TIMEOUT_MS = 30_000;

/** The body of a command, e.g. `{ case: "probe", value: { pathName: "cam1" } }`. */
export type LinkCommand = Exclude<
  MessageInitShape<typeof CommandSchema>["kind"],
  { case: undefined } | undefined
>;

/** Options of `sendCommand`. */
export interface SendCommandOptions {
  /** The agent must answer within this; past it the call rejects with MTX_LINK_TIMEOUT. */
  readonly timeoutMs?: number;
}

/** A command the agent ran successfully. A failed one rejects with the agent's MtxError. */
export interface LinkCommandResult {
  readonly commandId: string;
  /** What the agent's handler returned. */
  readonly value: JsonObject;
}
