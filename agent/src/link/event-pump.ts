import type { MessageInitShape } from "@bufbuild/protobuf";
import type { Logger } from "@mtx-fleet/plugin-api";
import { MtxError } from "@mtx-fleet/plugin-api";
import type { NodeRef, SessionRequestSchema } from "@mtx-fleet/proto";
import type { Outbox, OutboxRecord } from "../outbox/index.ts";
import type { EventInit } from "./link-client-options.ts";

/** Records per EventBatch. */
export const EVENT_BATCH_LIMIT = 100;
/** Bytes per EventBatch (well under gRPC's 4 MiB message limit). */
export const EVENT_BATCH_MAX_BYTES = 1024 * 1024;

/** What an `EventPump` works with. */
export interface EventPumpInit {
  readonly outbox: Outbox;
  readonly cursor: string;
  readonly node: NodeRef;
  readonly toEvent: (record: OutboxRecord, node: NodeRef) => EventInit;
  readonly send: (request: MessageInitShape<typeof SessionRequestSchema>) => Promise<void>;
  readonly logger: Logger;
}

/**
 * Sends outbox events over one session, one batch in flight: read after the cursor, send,
 * wait for the hub's EventAck, persist the cursor, repeat. The cursor only moves on an ack,
 * so whatever a broken session leaves unacknowledged is sent again on the next one.
 */
export class EventPump {
  readonly #init: EventPumpInit;
  #waiter: { readonly resolve: (seq: bigint) => void } | undefined;

  constructor(init: EventPumpInit) {
    this.#init = init;
  }

  /** The hub acknowledged everything up to `seq`. */
  onAck(seq: bigint): void {
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.resolve(seq);
  }

  /** Runs until `signal` aborts or the outbox closes; throws if the hub answers nonsense. */
  async run(hubAckedSeq: bigint, signal: AbortSignal): Promise<void> {
    const { outbox, cursor } = this.#init;
    await this.#skipStored(hubAckedSeq);
    for await (const batch of outbox.consume({
      cursor,
      limit: EVENT_BATCH_LIMIT,
      maxBytes: EVENT_BATCH_MAX_BYTES,
      signal,
    })) {
      const first = batch[0]?.seq ?? 0;
      const last = batch.at(-1)?.seq ?? 0;
      const acked = this.#nextAck(signal);
      acked.catch(() => undefined); // a failed send leaves it unawaited; the abort then rejects it
      await this.#init.send({
        body: {
          case: "events",
          value: { events: batch.map((record) => this.#init.toEvent(record, this.#init.node)) },
        },
      });
      const ackSeq = await acked;
      if (ackSeq < BigInt(last)) {
        // consume() moves on past the batch, so a partial ack must restart from the cursor.
        throw new MtxError(
          "MTX_INTERNAL",
          `the hub acked seq ${ackSeq} for a batch of seq ${first}..${last}`,
          {
            details: { ackSeq: String(ackSeq), first, last },
          },
        );
      }
      await outbox.ack(last, cursor);
    }
  }

  /** The hub already stored events past our cursor (an ack lost with a session): skip them. */
  async #skipStored(hubAckedSeq: bigint): Promise<void> {
    const { outbox, cursor, logger } = this.#init;
    const newest = outbox.stats().newestSeq;
    if (hubAckedSeq > BigInt(newest)) {
      // A reset outbox numbers from 1 again: trusting the hub here would skip new events.
      logger.warn(
        { hubAckedSeq: String(hubAckedSeq), newestSeq: newest },
        "hub has acked seqs this outbox never stored; resending from the local cursor",
      );
      return;
    }
    if (hubAckedSeq > BigInt(outbox.cursor(cursor))) await outbox.ack(Number(hubAckedSeq), cursor);
  }

  #nextAck(signal: AbortSignal): Promise<bigint> {
    return new Promise((resolve, reject) => {
      const onAbort = () => reject(signal.reason);
      if (signal.aborted) return onAbort();
      signal.addEventListener("abort", onAbort, { once: true });
      this.#waiter = {
        resolve: (seq) => {
          signal.removeEventListener("abort", onAbort);
          resolve(seq);
        },
      };
    });
  }
}
