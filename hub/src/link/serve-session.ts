import { create } from "@bufbuild/protobuf";
import type { Clock, Logger } from "@mtx-fleet/plugin-api";
import { MtxError } from "@mtx-fleet/plugin-api";
import type { Hello, NodeRef, ServerCallContext, SessionRequest } from "@mtx-fleet/proto";
import { NodeRefSchema } from "@mtx-fleet/proto";
import type { LinkHandlers, NodeRefInit } from "./link-handlers.ts";
import type { SessionResponseInit } from "./link-session.ts";
import { LinkSession } from "./link-session.ts";
import type { SessionRegistry } from "./session-registry.ts";

/** What the Session handler works with. */
export interface SessionDeps {
  readonly handlers: LinkHandlers;
  readonly registry: SessionRegistry;
  readonly heartbeatIntervalMs: number;
  /** A session that sends no hello within this is refused. */
  readonly helloTimeoutMs: number;
  readonly clock: Pick<Clock, "now">;
  readonly logger: Logger;
}

/**
 * Serves one `AgentLinkService.Session` call: authenticates the bearer credential, waits for
 * hello, registers the session (replacing the node's previous one), answers welcome, then
 * writes whatever the session queues while a reader handles the agent's messages.
 */
export async function* serveSession(
  requests: AsyncIterable<SessionRequest>,
  ctx: ServerCallContext,
  deps: SessionDeps,
): AsyncGenerator<SessionResponseInit, void, undefined> {
  const node = toNodeRef(await deps.handlers.authenticate(bearerCredential(ctx)));
  const iterator = requests[Symbol.asyncIterator]();
  const hello = await firstHello(iterator, deps.helloTimeoutMs);
  const logger = deps.logger.child({ node: node.nodeId });
  await deps.handlers.onHello(node, hello);
  const ackedSeq = await deps.handlers.eventsAckedSeq(node);
  const session = new LinkSession({ node, hello, peer: ctx.peer, clock: deps.clock, logger });
  session.send({
    body: {
      case: "welcome",
      value: {
        node,
        sessionId: session.id,
        heartbeatIntervalMs: deps.heartbeatIntervalMs,
        eventsAckedSeq: BigInt(ackedSeq),
      },
    },
  });
  deps.registry.open(session);
  await report(logger, "onSeen", () => deps.handlers.onSeen(node, session.lastSeenAtMs));
  logger.info({ session: session.id, peer: ctx.peer, agentVersion: hello.agentVersion }, "session opened");
  const onAbort = () => session.close();
  ctx.signal.addEventListener("abort", onAbort, { once: true });
  void readSession(iterator, session, deps, logger).then(
    () => session.close(),
    (error: unknown) => session.close(error),
  );
  try {
    yield* session.responses();
  } finally {
    ctx.signal.removeEventListener("abort", onAbort);
    session.close();
    deps.registry.closed(session);
    logger.info({ session: session.id }, "session closed");
  }
}

async function readSession(
  iterator: AsyncIterator<SessionRequest>,
  session: LinkSession,
  deps: SessionDeps,
  logger: Logger,
): Promise<void> {
  const { handlers, registry } = deps;
  const node = session.node;
  for (;;) {
    const next = await iterator.next();
    if (next.done === true || session.closed) return;
    registry.seen(session);
    const { body } = next.value;
    switch (body.case) {
      case "heartbeat":
        await report(logger, "onSeen", () => handlers.onSeen(node, session.lastSeenAtMs));
        break;
      case "result":
        session.resolve(body.value);
        break;
      case "events": {
        // A throw ends the session: the agent resends from its last ack after reconnecting.
        const seq = await handlers.onEvents(node, body.value.events);
        session.send({ body: { case: "eventAck", value: { seq: BigInt(seq) } } });
        break;
      }
      case "telemetry":
        // Latest-wins: a failed one is superseded by the next, so it does not end the session.
        await report(logger, "onTelemetry", () => handlers.onTelemetry(node, body.value));
        break;
      case "hello":
        logger.debug({}, "hello repeated on an open session: ignored");
        break;
      case undefined:
        break; // a message kind from a newer agent
      default:
        body satisfies never;
    }
  }
}

function bearerCredential(ctx: ServerCallContext): string {
  const value = ctx.metadata.get("authorization")[0];
  const match = typeof value === "string" ? /^Bearer\s+(\S+)$/i.exec(value) : null;
  if (match?.[1] === undefined) {
    throw new MtxError(
      "MTX_UNAUTHORIZED",
      "a session needs `authorization: Bearer <node credential>` metadata",
    );
  }
  return match[1];
}

async function firstHello(iterator: AsyncIterator<SessionRequest>, timeoutMs: number): Promise<Hello> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(new MtxError("MTX_INVALID_INPUT", `no hello within ${timeoutMs} ms of opening the session`)),
      timeoutMs,
    );
  });
  try {
    const first = await Promise.race([iterator.next(), timeout]);
    if (first.done === true) throw new MtxError("MTX_INVALID_INPUT", "the session ended before hello");
    if (first.value.body.case !== "hello") {
      throw new MtxError("MTX_INVALID_INPUT", "the first message of a session must be hello", {
        details: { got: first.value.body.case ?? "unknown" },
      });
    }
    return first.value.body.value;
  } finally {
    clearTimeout(timer);
  }
}

function toNodeRef(init: NodeRefInit): NodeRef {
  const node = create(NodeRefSchema, init);
  if (node.nodeId === "") throw new MtxError("MTX_INTERNAL", "authenticate() returned a node without nodeId");
  return node;
}

async function report(logger: Logger, name: string, call: () => Promise<void> | void): Promise<void> {
  try {
    await call();
  } catch (error) {
    logger.error({ err: error }, `${name} handler failed`);
  }
}
