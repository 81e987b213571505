import type { MessageInitShape } from "@bufbuild/protobuf";
import { timestampNow } from "@bufbuild/protobuf/wkt";
import type { Logger } from "@mtx-fleet/plugin-api";
import { MtxError } from "@mtx-fleet/plugin-api";
import type {
  AgentLinkService,
  NodeRef,
  ServiceClient,
  SessionRequestSchema,
  Welcome,
} from "@mtx-fleet/proto";
import type { Outbox, OutboxRecord } from "../outbox/index.ts";
import { answerCommand } from "./answer-command.ts";
import { EventPump } from "./event-pump.ts";
import type { CommandHandlers, EventInit, HelloFields, TelemetryInit } from "./link-client-options.ts";

/** Heartbeat interval used when Welcome carries none. */
const FALLBACK_HEARTBEAT_INTERVAL_MS = 5_000;

/** What one session needs. */
export interface LinkSessionRun {
  readonly client: ServiceClient<typeof AgentLinkService>;
  readonly credential: string;
  readonly agentVersion: string;
  readonly hello: () => HelloFields;
  readonly outbox: Outbox | undefined;
  readonly outboxCursor: string;
  readonly toEvent: (record: OutboxRecord, node: NodeRef) => EventInit;
  readonly telemetry: (() => TelemetryInit | undefined) | undefined;
  readonly telemetryIntervalMs: number;
  /** Subscribes to "the node's state changed": telemetry is then sent at once, not at the tick. */
  readonly telemetryChanges: ((listener: () => void) => () => void) | undefined;
  readonly commands: CommandHandlers;
  readonly welcomeTimeoutMs: number;
  readonly logger: Logger;
  readonly onWelcome: (welcome: Welcome) => void;
  readonly signal: AbortSignal;
}

type SessionRequestInit = MessageInitShape<typeof SessionRequestSchema>;

/**
 * Runs one Session call from hello to its end: heartbeats at the hub's interval, commands
 * answered, events pumped from the outbox and telemetry sent (when configured). Returns when
 * the hub ends the call or `signal` aborts; throws the MtxError that broke it otherwise.
 */
export async function runLinkSession(run: LinkSessionRun): Promise<void> {
  const controller = new AbortController();
  const stopOnAbort = () => controller.abort();
  run.signal.addEventListener("abort", stopOnAbort, { once: true });
  let failure: { readonly error: unknown } | undefined;
  const fail = (error: unknown) => {
    failure ??= { error };
    controller.abort();
  };
  const stream = run.client.session({
    signal: controller.signal,
    metadata: { authorization: `Bearer ${run.credential}` },
  });
  const send = (request: SessionRequestInit): Promise<void> => stream.send(request);
  // A failed send is reported by the response loop with the call's real status; just stop here.
  const sendOrStop = (request: SessionRequestInit) => send(request).catch(() => controller.abort());
  const timers: NodeJS.Timeout[] = [];
  const cleanups: Array<() => void> = [];
  let pumpDone: Promise<void> = Promise.resolve();
  let pump: EventPump | undefined;
  const welcomeTimer = setTimeout(
    () =>
      fail(new MtxError("MTX_GRPC_CALL_FAILED", `no welcome from the hub within ${run.welcomeTimeoutMs} ms`)),
    run.welcomeTimeoutMs,
  );
  timers.push(welcomeTimer);
  const eventsOverSession = run.outbox !== undefined || run.telemetry !== undefined;
  void sendOrStop({
    body: { case: "hello", value: { ...run.hello(), agentVersion: run.agentVersion, eventsOverSession } },
  });
  try {
    for await (const response of stream) {
      const { body } = response;
      switch (body.case) {
        case "welcome": {
          clearTimeout(welcomeTimer);
          const welcome = body.value;
          const node = welcome.node;
          if (node === undefined)
            throw new MtxError("MTX_GRPC_CALL_FAILED", "the hub's welcome carries no node");
          run.onWelcome(welcome);
          const heartbeatMs = welcome.heartbeatIntervalMs || FALLBACK_HEARTBEAT_INTERVAL_MS;
          timers.push(
            setInterval(
              () => void sendOrStop({ body: { case: "heartbeat", value: { sentAt: timestampNow() } } }),
              heartbeatMs,
            ),
          );
          if (run.telemetry !== undefined) {
            const telemetry = startTelemetry(run, node, sendOrStop);
            timers.push(telemetry.timer);
            cleanups.push(telemetry.stop);
          }
          if (run.outbox !== undefined) {
            pump = new EventPump({
              outbox: run.outbox,
              cursor: run.outboxCursor,
              node,
              toEvent: run.toEvent,
              send,
              logger: run.logger,
            });
            pumpDone = pump.run(welcome.eventsAckedSeq, controller.signal).catch((error: unknown) => {
              if (!controller.signal.aborted) fail(error);
            });
          }
          break;
        }
        case "command": {
          const command = body.value;
          void answerCommand(command, run.commands, { now: Date.now, signal: controller.signal }).then(
            (result) => {
              if (result.outcome?.case === "error") {
                run.logger.warn(
                  { commandId: command.id, kind: command.kind.case, err: result.outcome.value },
                  "command failed",
                );
              }
              return sendOrStop({ body: { case: "result", value: result } });
            },
          );
          break;
        }
        case "eventAck":
          pump?.onAck(body.value.seq);
          break;
        case undefined:
          break; // a message kind from a newer hub
        default:
          body satisfies never;
      }
    }
  } catch (error) {
    fail(error);
  } finally {
    for (const timer of timers) clearTimeout(timer);
    for (const cleanup of cleanups) cleanup();
    controller.abort();
    run.signal.removeEventListener("abort", stopOnAbort);
    await pumpDone;
  }
  if (failure !== undefined && !run.signal.aborted) throw failure.error;
}

function startTelemetry(
  run: LinkSessionRun,
  node: NodeRef,
  send: (request: SessionRequestInit) => Promise<void>,
): { readonly timer: NodeJS.Timeout; readonly stop: () => void } {
  const tick = () => {
    let telemetry: TelemetryInit | undefined;
    try {
      telemetry = run.telemetry?.();
    } catch (error) {
      run.logger.error({ err: error }, "building telemetry failed");
      return;
    }
    if (telemetry !== undefined) void send({ body: { case: "telemetry", value: { node, ...telemetry } } });
  };
  tick();
  const timer = setInterval(tick, run.telemetryIntervalMs);
  // A change goes out at once; the interval restarts so the next tick is a full interval later.
  const stop =
    run.telemetryChanges?.(() => {
      tick();
      timer.refresh();
    }) ?? (() => {});
  return { timer, stop };
}
