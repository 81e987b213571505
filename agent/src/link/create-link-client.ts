import { hostname } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import type { ChannelCredentials } from "@grpc/grpc-js";
import { status } from "@grpc/grpc-js";
import { MtxError } from "@mtx-fleet/plugin-api";
import { AgentLinkService, createClient } from "@mtx-fleet/proto";
import { DEFAULT_OUTBOX_CURSOR } from "../outbox/index.ts";
import { backoffDelayMs } from "./backoff-delay.ts";
import { HubRotation } from "./hub-rotation.ts";
import { LINK_CLIENT_CHANNEL_OPTIONS } from "./link-client-channel-options.ts";
import { linkClientCredentials } from "./link-client-credentials.ts";
import type { LinkClientOptions, LinkClientState } from "./link-client-options.ts";
import { outboxRecordToEvent } from "./outbox-record-to-event.ts";
import { runLinkSession } from "./run-link-session.ts";

export const DEFAULT_UNAUTHORIZED_RETRY_MS = 60_000;
export const DEFAULT_WELCOME_TIMEOUT_MS = 15_000;
export const DEFAULT_TELEMETRY_INTERVAL_MS = 5_000;
export const ENROL_TIMEOUT_MS = 15_000;

/** A running link client. */
export interface LinkClient extends AsyncDisposable {
  state(): LinkClientState;
  /** The hub link URL in use (or tried next). */
  hubUrl(): string;
  /** Ends the session and stops reconnecting; resolves once the loop has exited. */
  stop(): Promise<void>;
}

/**
 * The agent end of the link: enrols once with the token when no credential is stored, then
 * keeps a Session open to the hub forever, reconnecting with exponential backoff and full
 * jitter. A refused token or credential puts it in `unauthorized` and retries slowly (the
 * operator may fix the config); nothing here crashes the agent.
 */
export function createLinkClient(options: LinkClientOptions): LinkClient {
  const { logger, signal } = options;
  const stopController = new AbortController();
  const stopSignal =
    signal === undefined ? stopController.signal : AbortSignal.any([signal, stopController.signal]);
  let state: LinkClientState = "connecting";
  const setState = (next: LinkClientState) => {
    if (next === state) return;
    state = next;
    logger.debug({ state }, "link state");
    options.onState?.(next);
  };
  const hubs = new HubRotation(options.hubUrl);
  const loop = runLoop(options, hubs, stopSignal, setState).finally(() => setState("stopped"));
  const stop = async () => {
    stopController.abort();
    await loop;
  };
  return { state: () => state, hubUrl: () => hubs.current, stop, [Symbol.asyncDispose]: stop };
}
async function runLoop(
  options: LinkClientOptions,
  hubs: HubRotation,
  signal: AbortSignal,
  setState: (state: LinkClientState) => void,
): Promise<void> {
  const { logger, credentialStore, backoff = {} } = options;
  const unauthorizedRetryMs = options.unauthorizedRetryMs ?? DEFAULT_UNAUTHORIZED_RETRY_MS;
  let attempt = 0;
  let credentialRefused = false;
  let channelCredentials: ChannelCredentials | undefined;
  while (!signal.aborted) {
    let delayMs: number;
    let enrolling = false;
    try {
      channelCredentials ??= await linkClientCredentials(options.tls);
      let credential = await credentialStore.get();
      if (credential === undefined || (credentialRefused && options.enrolToken !== undefined)) {
        setState("enrolling");
        enrolling = true;
        credential = await enrol(options, hubs.current, channelCredentials, signal);
        enrolling = false;
        credentialRefused = false;
      }
      setState("connecting");
      const hubUrl = hubs.current;
      await withClient(hubUrl, channelCredentials, (client) =>
        runLinkSession({
          client,
          credential,
          agentVersion: options.agentVersion,
          hello: options.hello,
          outbox: options.outbox,
          outboxCursor: options.outboxCursor ?? DEFAULT_OUTBOX_CURSOR,
          toEvent: options.toEvent ?? outboxRecordToEvent,
          telemetry: options.telemetry,
          telemetryIntervalMs: options.telemetryIntervalMs ?? DEFAULT_TELEMETRY_INTERVAL_MS,
          telemetryChanges: options.telemetryChanges,
          commands: options.commands,
          welcomeTimeoutMs: options.welcomeTimeoutMs ?? DEFAULT_WELCOME_TIMEOUT_MS,
          logger,
          signal,
          onWelcome: (welcome) => {
            attempt = 0;
            setState("connected");
            if (welcome.node !== undefined) options.onNode?.(welcome.node);
            logger.info(
              { session: welcome.sessionId, node: welcome.node?.nodeId, hub: hubUrl },
              "link connected",
            );
          },
        }),
      );
      if (signal.aborted) break;
      logger.warn({ hub: hubUrl }, "the hub ended the session; reconnecting");
      setState("connecting");
      delayMs = backoffDelayMs(attempt++, backoff);
    } catch (error) {
      if (signal.aborted) break;
      if (isUnauthorized(error)) {
        credentialRefused = !enrolling;
        setState("unauthorized");
        logger.error(
          { err: error, hub: hubs.current, retryInMs: unauthorizedRetryMs },
          unauthorizedMessage(enrolling, options.enrolToken !== undefined),
        );
        delayMs = unauthorizedRetryMs;
      } else {
        setState("connecting");
        logger.warn({ err: error, hub: hubs.current, attempt }, "link failed; reconnecting");
        delayMs = backoffDelayMs(attempt++, backoff);
      }
    }
    // A hub that failed or ended the session may be going away: the next replica is tried.
    hubs.next();
    await sleep(delayMs, undefined, { signal }).catch(() => undefined);
  }
}

/** Trades the enrol token for a credential and stores it durably before using it. */
async function enrol(
  options: LinkClientOptions,
  hubUrl: string,
  channelCredentials: ChannelCredentials,
  signal: AbortSignal,
): Promise<string> {
  const token = options.enrolToken;
  if (token === undefined) {
    throw new MtxError("MTX_UNAUTHORIZED", "no node credential is stored and no enrol token is configured");
  }
  const response = await withClient(hubUrl, channelCredentials, (client) =>
    client.enrol(
      { token, agentVersion: options.agentVersion, hostname: options.hostname ?? hostname() },
      { timeoutMs: ENROL_TIMEOUT_MS, signal },
    ),
  );
  if (response.credential === "")
    throw new MtxError("MTX_GRPC_CALL_FAILED", "the hub's enrol answer carries no credential");
  await options.credentialStore.set(response.credential);
  options.logger.info({ node: response.node?.nodeId, name: response.node?.name }, "enrolled with the hub");
  return response.credential;
}

/** A fresh channel per attempt: no channel-level backoff or broken connection is carried over. */
async function withClient<T>(
  hubUrl: string,
  channelCredentials: ChannelCredentials,
  use: (client: ReturnType<typeof createClient<typeof AgentLinkService>>) => Promise<T>,
): Promise<T> {
  using client = createClient(AgentLinkService, hubUrl, channelCredentials, {
    channelOptions: LINK_CLIENT_CHANNEL_OPTIONS,
  });
  return await use(client);
}

/** The hub refused the token or credential (or a proxy answered UNAUTHENTICATED). */
function isUnauthorized(error: unknown): boolean {
  if (MtxError.is(error, "MTX_UNAUTHORIZED")) return true;
  return MtxError.is(error, "MTX_GRPC_CALL_FAILED") && error.details?.grpcCode === status.UNAUTHENTICATED;
}

function unauthorizedMessage(enrolling: boolean, hasToken: boolean): string {
  if (enrolling) {
    return hasToken
      ? "the hub refused the enrol token (used, expired or unknown): create a new one for this node and put it in the config"
      : "no node credential is stored and no enrol token is configured: create a token for this node at the hub";
  }
  return hasToken
    ? "the hub refused this node's credential; trying the configured enrol token next"
    : "the hub refused this node's credential (node deleted or credential revoked): enrol the node again with a new token";
}
