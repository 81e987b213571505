import { type Static, Type } from "@mtx-fleet/plugin-api";

export const DEFAULT_HUB_CONFIG_PATH = "/etc/mtx-hub/hub.yaml";
export const DEFAULT_HUB_DATA_DIR = "/var/lib/mtx-hub";
export const DEFAULT_API_PORT = 9800;
export const DEFAULT_LINK_PORT = 9801;
export const DEFAULT_ENROL_TOKEN_TTL_MS = 15 * 60_000;
export const DEFAULT_SESSION_TTL_MS = 12 * 3_600_000;
export const DEFAULT_NATS_CONNECT_TIMEOUT_MS = 30_000;

const port = (fallback: number) => Type.Integer({ minimum: 0, maximum: 65_535, default: fallback });

/** The hub's config file (`version: 1`), validated once at the edge. */
export const HubConfigSchema = Type.Object(
  {
    version: Type.Literal(1, { description: "Config format version; upgrades are numbered migrations." }),
    dataDir: Type.String({
      minLength: 1,
      default: DEFAULT_HUB_DATA_DIR,
      description: "The store file and the secret key; relative paths are resolved against the config file.",
    }),
    api: Type.Object(
      {
        host: Type.String({ minLength: 1, default: "0.0.0.0" }),
        port: port(DEFAULT_API_PORT),
      },
      { default: {}, additionalProperties: false },
    ),
    link: Type.Object(
      {
        host: Type.String({ minLength: 1, default: "0.0.0.0" }),
        port: port(DEFAULT_LINK_PORT),
        tls: Type.Optional(
          Type.Object(
            {
              cert: Type.String({ minLength: 1, description: "PEM certificate file." }),
              key: Type.String({ minLength: 1, description: "PEM private key file." }),
              ca: Type.Optional(
                Type.String({
                  minLength: 1,
                  description: "PEM CA file: when set, agents need client certificates (mTLS).",
                }),
              ),
            },
            { additionalProperties: false },
          ),
        ),
      },
      { default: {}, additionalProperties: false },
    ),
    nats: Type.Optional(
      Type.Object(
        {
          servers: Type.Array(Type.String({ pattern: "^(nats|tls)://" }), {
            minItems: 1,
            description: "e.g. nats://127.0.0.1:4222; without a nats section the hub runs without a broker.",
          }),
          connectTimeoutMs: Type.Optional(
            Type.Integer({
              minimum: 100,
              maximum: 600_000,
              description: `How long start-up waits for NATS before failing with MTX_NATS_UNAVAILABLE (default ${DEFAULT_NATS_CONNECT_TIMEOUT_MS}); once running, the hub reconnects for ever.`,
            }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    store: Type.Optional(
      Type.Object(
        {
          kind: Type.Optional(
            Type.Union([Type.Literal("json"), Type.Literal("nats-kv")], {
              description:
                "json: one file in dataDir (a single hub). nats-kv: JetStream KV shared by hub replicas (needs nats). Default: nats-kv when nats is set, else json.",
            }),
          ),
          replicas: Type.Optional(
            Type.Integer({
              minimum: 1,
              maximum: 5,
              description:
                "JetStream replicas of the KV bucket and events stream (1 on one server, 3 on a cluster).",
            }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    agentless: Type.Optional(
      Type.Object(
        {
          leaseTtlMs: Type.Optional(
            Type.Integer({
              minimum: 1_000,
              maximum: 600_000,
              description:
                "With replicas (store nats-kv): an agentless node whose replica stopped renewing its lease moves to another replica after this long (default 10000).",
            }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    auth: Type.Object(
      {
        adminPassword: Type.Optional(
          Type.String({
            minLength: 12,
            description: "The admin user's password; absent: generated on first start and printed once.",
          }),
        ),
        sessionTtlMs: Type.Integer({
          minimum: 60_000,
          default: DEFAULT_SESSION_TTL_MS,
          description: "Lifetime of a token returned by login.",
        }),
        loginMaxFailures: Type.Optional(
          Type.Integer({
            minimum: 1,
            maximum: 1_000,
            description:
              "Failed logins of one username from one address within loginWindowMs before 429 MTX_RATE_LIMITED (default 5).",
          }),
        ),
        loginWindowMs: Type.Optional(
          Type.Integer({ minimum: 1_000, maximum: 86_400_000, description: "Default 900000 (15 min)." }),
        ),
      },
      { default: {}, additionalProperties: false },
    ),
    enrolTokenTtlMs: Type.Integer({
      minimum: 10_000,
      maximum: 7 * 86_400_000,
      default: DEFAULT_ENROL_TOKEN_TTL_MS,
    }),
    heartbeat: Type.Object(
      {
        intervalMs: Type.Integer({
          minimum: 100,
          default: 5_000,
          description: "Asked of agents in Welcome.",
        }),
        staleAfterMs: Type.Integer({ minimum: 100, default: 15_000 }),
        offlineAfterMs: Type.Integer({ minimum: 100, default: 60_000 }),
      },
      { default: {}, additionalProperties: false },
    ),
    log: Type.Object(
      {
        level: Type.Union(
          ["fatal", "error", "warn", "info", "debug", "trace"].map((level) => Type.Literal(level)),
          { default: "info" },
        ),
      },
      { default: {}, additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

export type HubConfig = Static<typeof HubConfigSchema>;

/** Where the hub keeps its state. */
export type HubStoreKind = "json" | "nats-kv";

/** The store the config asks for: `store.kind`, else nats-kv with NATS and json without. */
export function hubStoreKind(config: Pick<HubConfig, "nats" | "store">): HubStoreKind {
  return config.store?.kind ?? (config.nats === undefined ? "json" : "nats-kv");
}
