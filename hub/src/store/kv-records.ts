import type { Logger } from "@mtx-fleet/plugin-api";
import {
  DeliverPolicy,
  JetStreamApiError,
  type JetStreamClient,
  type JsMsg,
  StorageType,
} from "@nats-io/jetstream";
import { type KV, Kvm } from "@nats-io/kv";
import { Empty, headers } from "@nats-io/transport-node";
import { followStream, type StreamFollower } from "./follow-stream.ts";
import type {
  ApiTokenRecord,
  EnrolTokenRecord,
  NodeCredentialRecord,
  NodeRecord,
  UserRecord,
} from "./hub-records.ts";
import { HUB_KV_BUCKET, type HubRecordKind, hubKvKey, parseHubKvKey } from "./kv-keys.ts";
import { natsFailure } from "./nats-failure.ts";
import { RecordIndex } from "./record-index.ts";

/** The record type of each kind. */
export interface HubRecordTypes {
  node: NodeRecord;
  enrol: EnrolTokenRecord;
  cred: NodeCredentialRecord;
  user: UserRecord;
  token: ApiTokenRecord;
  meta: string;
}

type Indexes = { readonly [K in HubRecordKind]: RecordIndex<HubRecordTypes[K]> };

// JetStream's "wrong last sequence": a compare-and-set lost against another writer.
const WRONG_LAST_SEQUENCE = 10_071;
/** Delete markers (expired tokens, revoked credentials…) older than this are removed… */
const DELETE_MARKER_KEEP_MS = 3_600_000;
/** …this often, so the bucket does not grow by one marker per login for ever. */
const PURGE_DELETES_EVERY_MS = 6 * 3_600_000;
const KV_OPERATION_HEADER = "KV-Operation";

/** Options of `KvRecords.open`. */
export interface KvRecordsOptions {
  readonly js: JetStreamClient;
  readonly replicas: number;
  readonly logger: Logger;
  /** A record was deleted (by any replica): e.g. drop the soft state of a deleted node. */
  readonly onDeleted?: (kind: HubRecordKind, id: string) => void;
}

/**
 * The hub's keyed records in one JetStream KV bucket, with a full in-memory index per kind
 * kept current by a follower of the bucket (so listings and lookups cost no round trip) and
 * updated at once by this replica's own writes (read-your-writes). A lookup that misses the
 * index asks the bucket, so a record another replica wrote a moment ago is still found.
 */
export class KvRecords {
  readonly #kv: KV;
  readonly #js: JetStreamClient;
  readonly #logger: Logger;
  readonly #onDeleted: KvRecordsOptions["onDeleted"];
  readonly #indexes: Indexes = {
    node: new RecordIndex(),
    enrol: new RecordIndex(),
    cred: new RecordIndex(),
    user: new RecordIndex(),
    token: new RecordIndex(),
    meta: new RecordIndex(),
  };
  #follower: StreamFollower | undefined;
  #purger: NodeJS.Timeout | undefined;

  private constructor(kv: KV, options: KvRecordsOptions) {
    this.#kv = kv;
    this.#js = options.js;
    this.#logger = options.logger;
    this.#onDeleted = options.onDeleted;
  }

  /** Opens (or creates) the bucket and loads every record before resolving. */
  static async open(options: KvRecordsOptions): Promise<KvRecords> {
    const kv = await new Kvm(options.js).create(HUB_KV_BUCKET, {
      history: 1,
      replicas: options.replicas,
      storage: StorageType.File,
    });
    const records = new KvRecords(kv, options);
    records.#follower = await followStream({
      js: options.js,
      stream: `KV_${HUB_KV_BUCKET}`,
      filterSubjects: [`$KV.${HUB_KV_BUCKET}.>`],
      deliverPolicy: DeliverPolicy.LastPerSubject,
      onMessage: (msg) => records.#follow(msg),
      logger: options.logger,
    });
    await records.#follower.caughtUp;
    records.#purger = setInterval(() => records.#purgeDeletes(), PURGE_DELETES_EVERY_MS);
    records.#purger.unref();
    return records;
  }

  index<K extends HubRecordKind>(kind: K): RecordIndex<HubRecordTypes[K]> {
    return this.#indexes[kind];
  }

  /** The record from the index, else from the bucket (written a moment ago by another replica). */
  async lookup<K extends HubRecordKind>(kind: K, id: string): Promise<HubRecordTypes[K] | undefined> {
    const hit = this.#indexes[kind].get(id);
    if (hit !== undefined) return hit;
    try {
      const entry = await this.#kv.get(hubKvKey(kind, id));
      if (entry === null || entry.operation !== "PUT") return undefined;
      const value = entry.json<HubRecordTypes[K]>();
      this.#indexes[kind].put(id, entry.revision, value);
      return value;
    } catch (error) {
      this.#logger.debug({ err: error, kind }, "record lookup in the bucket failed");
      return undefined;
    }
  }

  /** The record and its revision, read from the bucket itself (for a compare-and-set). */
  async read<K extends HubRecordKind>(
    kind: K,
    id: string,
  ): Promise<{ value: HubRecordTypes[K]; revision: number } | undefined> {
    const entry = await this.#call(`reading ${kind}`, () => this.#kv.get(hubKvKey(kind, id)));
    if (entry === null || entry.operation !== "PUT") return undefined;
    return { value: entry.json<HubRecordTypes[K]>(), revision: entry.revision };
  }

  async put<K extends HubRecordKind>(kind: K, id: string, value: HubRecordTypes[K]): Promise<void> {
    const revision = await this.#call(`storing ${kind}`, () =>
      this.#kv.put(hubKvKey(kind, id), JSON.stringify(value)),
    );
    this.#indexes[kind].put(id, revision, value);
  }

  /** Stores the record only if the key has no value; false when it had one. */
  async create<K extends HubRecordKind>(kind: K, id: string, value: HubRecordTypes[K]): Promise<boolean> {
    return this.#compareAndSet(kind, id, value, () =>
      this.#kv.create(hubKvKey(kind, id), JSON.stringify(value)),
    );
  }

  /** Replaces the record only if it is still at `revision`; false when another write came first. */
  async update<K extends HubRecordKind>(
    kind: K,
    id: string,
    value: HubRecordTypes[K],
    revision: number,
  ): Promise<boolean> {
    return this.#compareAndSet(kind, id, value, () =>
      this.#kv.update(hubKvKey(kind, id), JSON.stringify(value), revision),
    );
  }

  async delete(kind: HubRecordKind, id: string): Promise<void> {
    // A delete marker published by hand (as the KV client does) to learn its revision.
    const h = headers();
    h.set(KV_OPERATION_HEADER, "DEL");
    const ack = await this.#call(`deleting ${kind}`, () =>
      this.#js.publish(`$KV.${HUB_KV_BUCKET}.${hubKvKey(kind, id)}`, Empty, { headers: h }),
    );
    this.#indexes[kind].delete(id, ack.seq, { local: true });
  }

  async stop(): Promise<void> {
    clearInterval(this.#purger);
    await this.#follower?.stop();
  }

  #purgeDeletes(): void {
    // The client's bucket has it; the KV interface it is typed as does not list it.
    (this.#kv as KV & { purgeDeletes(olderMillis: number): Promise<{ purged: number }> })
      .purgeDeletes(DELETE_MARKER_KEEP_MS)
      .then(({ purged }) => {
        if (purged > 0) this.#logger.debug({ purged }, "old delete markers removed from the hub bucket");
      })
      .catch((error: unknown) => this.#logger.debug({ err: error }, "delete markers not removed"));
  }

  async #compareAndSet<K extends HubRecordKind>(
    kind: K,
    id: string,
    value: HubRecordTypes[K],
    write: () => Promise<number>,
  ): Promise<boolean> {
    try {
      const revision = await write();
      this.#indexes[kind].put(id, revision, value);
      return true;
    } catch (error) {
      if (error instanceof JetStreamApiError && error.code === WRONG_LAST_SEQUENCE) return false;
      throw natsFailure(error, `storing ${kind}`);
    }
  }

  async #call<T>(doing: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw natsFailure(error, doing);
    }
  }

  #follow(msg: JsMsg): void {
    const parsed = parseHubKvKey(msg.subject.slice(`$KV.${HUB_KV_BUCKET}.`.length));
    if (parsed === undefined) return;
    const { kind, id } = parsed;
    const operation = msg.headers?.get(KV_OPERATION_HEADER) ?? "";
    if (operation === "DEL" || operation === "PURGE") {
      if (this.#indexes[kind].delete(id, msg.seq) !== undefined) this.#onDeleted?.(kind, id);
      return;
    }
    try {
      (this.#indexes[kind] as RecordIndex<unknown>).put(id, msg.seq, msg.json());
    } catch (error) {
      this.#logger.warn({ err: error, kind, seq: msg.seq }, "unreadable hub record skipped");
    }
  }
}
