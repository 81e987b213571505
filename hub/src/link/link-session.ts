import { randomUUID } from "node:crypto";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import type { Clock, Logger, MtxErrorCode } from "@mtx-fleet/plugin-api";
import { ERROR_CODES, MtxError } from "@mtx-fleet/plugin-api";
import type { CommandResult, Hello, NodeRef, SessionResponseSchema } from "@mtx-fleet/proto";
import { AsyncQueue } from "./async-queue.ts";
import type { LinkCommand, LinkCommandResult } from "./link-command.ts";

/** A message the hub sends on a session. */
export type SessionResponseInit = MessageInitShape<typeof SessionResponseSchema>;

interface PendingCommand {
  readonly resolve: (result: LinkCommandResult) => void;
  readonly reject: (error: MtxError) => void;
  readonly timer: NodeJS.Timeout;
}

/** What a `LinkSession` is built from. */
export interface LinkSessionInit {
  readonly node: NodeRef;
  readonly hello: Hello;
  readonly peer: string;
  readonly clock: Pick<Clock, "now">;
  readonly logger: Logger;
}

/**
 * One live Session call of one node: the queue of messages to send, the commands waiting for
 * their results, and when the agent was last heard.
 */
export class LinkSession {
  readonly id = randomUUID();
  readonly node: NodeRef;
  readonly hello: Hello;
  readonly peer: string;
  readonly openedAtMs: number;
  lastSeenAtMs: number;
  readonly #clock: Pick<Clock, "now">;
  readonly #logger: Logger;
  readonly #outgoing = new AsyncQueue<SessionResponseInit>();
  readonly #pending = new Map<string, PendingCommand>();

  constructor(init: LinkSessionInit) {
    this.node = init.node;
    this.hello = init.hello;
    this.peer = init.peer;
    this.#clock = init.clock;
    this.#logger = init.logger;
    this.openedAtMs = init.clock.now();
    this.lastSeenAtMs = this.openedAtMs;
  }

  get closed(): boolean {
    return this.#outgoing.closed;
  }

  /** What to write to the call, in order; throws the error the session was closed with. */
  responses(): AsyncIterable<SessionResponseInit> {
    return this.#outgoing;
  }

  send(response: SessionResponseInit): boolean {
    return this.#outgoing.push(response);
  }

  /** Sends a command and waits for its result (or MTX_LINK_TIMEOUT / MTX_NODE_OFFLINE). */
  command(kind: LinkCommand, timeoutMs: number): Promise<LinkCommandResult> {
    const id = randomUUID();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(
          new MtxError(
            "MTX_LINK_TIMEOUT",
            `node ${this.node.nodeId} did not answer command ${id} in ${timeoutMs} ms`,
            {
              details: { nodeId: this.node.nodeId, commandId: id, kind: kind.case, timeoutMs },
            },
          ),
        );
      }, timeoutMs);
      this.#pending.set(id, { resolve, reject, timer });
      const deadline = timestampFromMs(this.#clock.now() + timeoutMs);
      if (!this.send({ body: { case: "command", value: { id, deadline, kind } } })) {
        this.#settle(id)?.reject(this.#offline(id));
      }
    });
  }

  /** Matches a result from the agent to its command; late or unknown results are dropped. */
  resolve(result: CommandResult): void {
    const pending = this.#settle(result.commandId);
    if (pending === undefined) {
      this.#logger.debug({ commandId: result.commandId }, "result for no pending command (late or unknown)");
      return;
    }
    const { outcome } = result;
    switch (outcome.case) {
      case "ok":
        pending.resolve({ commandId: result.commandId, value: outcome.value });
        return;
      case "error":
        pending.reject(
          agentError(outcome.value.code, outcome.value.message, outcome.value.details, result.commandId),
        );
        return;
      case undefined:
        pending.reject(
          agentError("MTX_INTERNAL", "the agent answered without an outcome", undefined, result.commandId),
        );
        return;
      default:
        outcome satisfies never;
    }
  }

  /** Ends the call (with `error` as its status, else OK); pending commands fail as offline. */
  close(error?: unknown): void {
    if (this.closed) return;
    this.#outgoing.close(error);
    for (const id of [...this.#pending.keys()]) this.#settle(id)?.reject(this.#offline(id));
  }

  #settle(id: string): PendingCommand | undefined {
    const pending = this.#pending.get(id);
    if (pending === undefined) return undefined;
    this.#pending.delete(id);
    clearTimeout(pending.timer);
    return pending;
  }

  #offline(commandId: string): MtxError {
    return new MtxError(
      "MTX_NODE_OFFLINE",
      `the session of node ${this.node.nodeId} ended before command ${commandId} was answered`,
      {
        details: { nodeId: this.node.nodeId, commandId },
      },
    );
  }
}

function agentError(
  code: string,
  message: string,
  details: Readonly<Record<string, unknown>> | undefined,
  commandId: string,
): MtxError {
  const known = Object.hasOwn(ERROR_CODES, code);
  return new MtxError(known ? (code as MtxErrorCode) : "MTX_INTERNAL", message, {
    // A code from a newer agent is kept so the failure can still be diagnosed.
    details: { ...details, commandId, ...(known ? {} : { remoteCode: code }) },
  });
}
