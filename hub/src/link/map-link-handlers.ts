// Test-only: the hub fleet service's stand-in at the link's unit level, backed by plain maps.
// Not exported from index.ts.
import type { Logger } from "@mtx-fleet/plugin-api";
import { MtxError } from "@mtx-fleet/plugin-api";
import type { Event as FleetEvent, Hello, NodeRef, Telemetry } from "@mtx-fleet/proto";
import type { LinkHandlers, LinkNodeState, NodeRefInit } from "./link-handlers.ts";

/** `LinkHandlers` over maps, plus what they recorded. */
export interface MapLinkHandlers {
  readonly handlers: LinkHandlers;
  /** Unused enrol tokens → the node they enrol. */
  readonly tokens: Map<string, NodeRefInit>;
  readonly credentials: Map<string, NodeRefInit>;
  /** Every event id received, in arrival order (duplicates included). */
  readonly deliveries: string[];
  /** Stored events by id (deduplicated), in first-arrival order. */
  readonly stored: Map<string, FleetEvent>;
  readonly states: Array<readonly [nodeId: string, state: LinkNodeState]>;
  readonly hellos: Array<readonly [nodeId: string, hello: Hello]>;
  readonly telemetry: Telemetry[];
  /** Replaces event storage for one test (e.g. to hold a batch); calls `store` to keep it. */
  onEvents?: (events: readonly FleetEvent[], store: () => bigint) => Promise<bigint>;
}

export function createMapLinkHandlers(): MapLinkHandlers {
  let nextNode = 1;
  const ackedSeq = new Map<string, bigint>();
  const state: MapLinkHandlers = {
    tokens: new Map(),
    credentials: new Map(),
    deliveries: [],
    stored: new Map(),
    states: [],
    hellos: [],
    telemetry: [],
    handlers: {
      enrol: async ({ token }) => {
        const node = state.tokens.get(token);
        if (node === undefined)
          throw new MtxError("MTX_UNAUTHORIZED", "enrol token is used, expired or unknown");
        state.tokens.delete(token);
        const credential = `cred-${nextNode++}-${token}`;
        state.credentials.set(credential, node);
        return { node, credential };
      },
      authenticate: async (credential) => {
        const node = state.credentials.get(credential);
        if (node === undefined) throw new MtxError("MTX_UNAUTHORIZED", "unknown node credential");
        return node;
      },
      onHello: (node, hello) => {
        state.hellos.push([node.nodeId, hello]);
      },
      onTelemetry: (_node, telemetry) => {
        state.telemetry.push(telemetry);
      },
      onEvents: async (node, events) => {
        const store = () => {
          for (const event of events) {
            state.deliveries.push(event.id);
            if (!state.stored.has(event.id)) state.stored.set(event.id, event);
            const acked = ackedSeq.get(node.nodeId) ?? 0n;
            if (event.seq > acked) ackedSeq.set(node.nodeId, event.seq);
          }
          return ackedSeq.get(node.nodeId) ?? 0n;
        };
        return state.onEvents === undefined ? store() : await state.onEvents(events, store);
      },
      onSeen: () => {},
      onState: (node: NodeRef, linkState) => {
        state.states.push([node.nodeId, linkState]);
      },
      eventsAckedSeq: (node) => ackedSeq.get(node.nodeId) ?? 0n,
    },
  };
  return state;
}

/** A pino-shaped logger that keeps its records (tests read warnings from it). */
export function createMemoryLogger(records: Array<Record<string, unknown>> = []): Logger & {
  readonly records: Array<Record<string, unknown>>;
} {
  const make = (bindings: Record<string, unknown>): Logger => {
    const at =
      (level: string) =>
      (fields: Readonly<Record<string, unknown>>, msg: string): void => {
        records.push({ level, ...bindings, ...fields, msg });
      };
    return {
      debug: at("debug"),
      info: at("info"),
      warn: at("warn"),
      error: at("error"),
      child: (more) => make({ ...bindings, ...more }),
    };
  };
  return Object.assign(make({}), { records });
}

/** Polls `check` until it returns true (or throws the last failure after `timeoutMs`). */
export async function waitFor(check: () => boolean, timeoutMs = 10_000, what = "condition"): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
