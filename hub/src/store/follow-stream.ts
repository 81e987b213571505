import type { Logger } from "@mtx-fleet/plugin-api";
import type { DeliverPolicy, JetStreamClient, JsMsg } from "@nats-io/jetstream";

/** Options of `followStream`. */
export interface FollowStreamOptions {
  readonly js: JetStreamClient;
  readonly stream: string;
  readonly filterSubjects: readonly string[];
  /** `LastPerSubject` for a KV bucket (its current values), `All` for a log. */
  readonly deliverPolicy: DeliverPolicy;
  /** Called for every message in stream order; must not throw. */
  readonly onMessage: (msg: JsMsg) => void;
  readonly logger: Logger;
}

/** A running follower. */
export interface StreamFollower {
  /** Resolves once every message present at the start has been handed to `onMessage`. */
  readonly caughtUp: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Follows a stream with an ordered consumer: messages arrive once each, in stream order, and
 * after a NATS restart or a lost consumer the client recreates it from the next sequence, so
 * the follower never misses or repeats one. No acks, nothing durable on the server.
 */
export async function followStream(options: FollowStreamOptions): Promise<StreamFollower> {
  const { js, logger } = options;
  const consumer = await js.consumers.get(options.stream, {
    filter_subjects: [...options.filterSubjects],
    deliver_policy: options.deliverPolicy,
  });
  const pending = (await consumer.info(true)).num_pending;
  const caughtUp = Promise.withResolvers<void>();
  if (pending === 0) caughtUp.resolve();
  const messages = await consumer.consume();
  void (async () => {
    for await (const status of messages.status()) {
      if (status.type === "ordered_consumer_recreated")
        logger.debug({ stream: options.stream }, "stream follower recreated its consumer");
    }
  })();
  const reading = (async () => {
    for await (const msg of messages) {
      options.onMessage(msg);
      if (msg.info.pending === 0) caughtUp.resolve();
    }
  })().catch((error: unknown) =>
    logger.error({ err: error, stream: options.stream }, "stream follower failed"),
  );
  return {
    caughtUp: caughtUp.promise,
    stop: async () => {
      await messages.close();
      await reading;
    },
  };
}
