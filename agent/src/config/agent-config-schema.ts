import { CONNECTION_ENDPOINTS } from "@mtx-fleet/mediamtx";
import { type Static, Type } from "@mtx-fleet/plugin-api";

export const DEFAULT_AGENT_CONFIG_PATH = "/etc/mtx-agent/agent.yaml";
export const DEFAULT_DATA_DIR = "/var/lib/mtx-agent";
export const DEFAULT_LOCAL_API_PORT = 9980;
export const DEFAULT_POLL_INTERVAL_MS = 2_000;
const HUB_URL_PATTERN = "^[^\\s/]+:[0-9]+$";

const pluginEntry = Type.Object(
  {
    enabled: Type.Boolean({ default: true, description: "Run this plugin." }),
    module: Type.Optional(
      Type.String({
        minLength: 1,
        description: "External plugin: an npm package name or a path (relative to the config file).",
      }),
    ),
    config: Type.Record(Type.String(), Type.Unknown(), {
      default: {},
      description: "The plugin's own options.",
    }),
  },
  { additionalProperties: false },
);

/** The agent's config file (`version: 1`), validated once at the edge. */
export const AgentConfigSchema = Type.Object(
  {
    version: Type.Literal(1, { description: "Config format version; upgrades are numbered migrations." }),
    node: Type.Object(
      {
        name: Type.Optional(
          Type.String({ minLength: 1, maxLength: 128, description: "Defaults to the host name." }),
        ),
      },
      { default: {}, additionalProperties: false },
    ),
    dataDir: Type.String({
      minLength: 1,
      default: DEFAULT_DATA_DIR,
      description: "State, outbox and spool.",
    }),
    mediamtx: Type.Object(
      {
        apiUrl: Type.String({ pattern: "^https?://", default: "http://127.0.0.1:9997" }),
        username: Type.Optional(Type.String()),
        password: Type.Optional(Type.String()),
        pollIntervalMs: Type.Integer({ minimum: 250, maximum: 60_000, default: DEFAULT_POLL_INTERVAL_MS }),
        timeoutMs: Type.Integer({ minimum: 100, maximum: 60_000, default: 5_000 }),
        pollSessions: Type.Array(
          Type.Union(Object.keys(CONNECTION_ENDPOINTS).map((name) => Type.Literal(name))),
          {
            default: [],
            uniqueItems: true,
            description:
              "Connection/session lists read with every poll besides paths (reader details, SRT stats). Each costs one request per interval.",
          },
        ),
      },
      { default: {}, additionalProperties: false },
    ),
    localApi: Type.Object(
      {
        host: Type.String({
          default: "127.0.0.1",
          description: "Loopback by default; writes need the token.",
        }),
        port: Type.Integer({ minimum: 0, maximum: 65_535, default: DEFAULT_LOCAL_API_PORT }),
        token: Type.Optional(Type.String({ minLength: 16, description: "Bearer token for writes." })),
      },
      { default: {}, additionalProperties: false },
    ),
    log: Type.Object(
      {
        level: Type.Union(
          [
            Type.Literal("fatal"),
            Type.Literal("error"),
            Type.Literal("warn"),
            Type.Literal("info"),
            Type.Literal("debug"),
            Type.Literal("trace"),
          ],
          { default: "info" },
        ),
      },
      { default: {}, additionalProperties: false },
    ),
    outbox: Type.Object(
      {
        maxBytes: Type.Integer({ minimum: 1_048_576, default: 256 * 1_048_576 }),
        maxAgeHours: Type.Number({ exclusiveMinimum: 0, default: 24 * 7 }),
      },
      { default: {}, additionalProperties: false },
    ),
    hub: Type.Optional(
      Type.Object(
        {
          url: Type.Union(
            [
              Type.String({ pattern: HUB_URL_PATTERN }),
              Type.Array(Type.String({ pattern: HUB_URL_PATTERN }), { minItems: 1, uniqueItems: true }),
            ],
            {
              description:
                "host:port of the hub's link server, or a list of the hub replicas' link servers (tried in turn: the next after a failure). Without a hub section the agent runs standalone.",
            },
          ),
          enrolToken: Type.Optional(
            Type.String({
              minLength: 8,
              description: "One-time token from the hub; needed until the node is enrolled.",
            }),
          ),
          tls: Type.Optional(
            Type.Object(
              {
                ca: Type.Optional(Type.String({ minLength: 1 })),
                cert: Type.Optional(Type.String({ minLength: 1 })),
                key: Type.Optional(Type.String({ minLength: 1 })),
                serverName: Type.Optional(Type.String({ minLength: 1 })),
              },
              { additionalProperties: false },
            ),
          ),
          telemetryIntervalMs: Type.Integer({ minimum: 250, maximum: 60_000, default: 2_000 }),
          nats: Type.Optional(
            Type.Object(
              {
                servers: Type.Array(Type.String({ pattern: "^(nats|tls)://" }), {
                  minItems: 1,
                  description:
                    "With NATS, events go to JetStream and telemetry to NATS; the gRPC link carries control only.",
                }),
              },
              { additionalProperties: false },
            ),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    pluginHost: Type.Object(
      {
        callTimeoutMs: Type.Integer({
          minimum: 10,
          default: 10_000,
          description: "Limit of setup/start/reconfigure.",
        }),
        stopTimeoutMs: Type.Integer({ minimum: 10, default: 5_000 }),
        restartBaseMs: Type.Integer({ minimum: 10, default: 1_000, description: "First restart delay." }),
        restartMaxMs: Type.Integer({ minimum: 10, default: 300_000, description: "Longest restart delay." }),
      },
      { default: {}, additionalProperties: false },
    ),
    plugins: Type.Record(Type.String({ pattern: "^[a-z][a-z0-9]*(-[a-z0-9]+)*$" }), pluginEntry, {
      default: {},
      additionalProperties: false,
      description: "Plugins by name (kebab-case).",
    }),
  },
  { additionalProperties: false },
);

export type AgentConfig = Static<typeof AgentConfigSchema>;
export type PluginConfigEntry = Static<typeof pluginEntry>;
