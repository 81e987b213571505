import { STREAM_VERDICTS, Type } from "@mtx-fleet/plugin-api";
import { ENVIRONMENTS, ROLES } from "../store/hub-records.ts";

/** Values of a stream's `availability` (and its filter). */
export const STREAM_AVAILABILITIES = ["available", "unavailable", "unknown"] as const;

/** Largest request body the hub API accepts; bigger ones are refused with 400 before parsing. */
export const HUB_API_BODY_LIMIT_BYTES = 64 * 1024;

export const NODE_ID_PATTERN = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$";
const LABEL_KEY_PATTERN = "^[A-Za-z0-9]([A-Za-z0-9._/-]{0,62})$";

export const EnvironmentParam = Type.Enum([...ENVIRONMENTS], { description: "dev, staging or prod" });
export const RoleParam = Type.Enum([...ROLES], { description: "viewer, operator or admin" });

export const NodeIdParams = Type.Object(
  { id: Type.String({ pattern: NODE_ID_PATTERN, description: "Node id (UUID)" }) },
  { additionalProperties: false },
);

export const StreamIdParams = Type.Object(
  {
    id: Type.String({
      pattern: "^[A-Za-z0-9_-]{1,2048}$",
      description: "Stream id (base64url of node id / path)",
    }),
  },
  { additionalProperties: false },
);

const page = {
  page: Type.Integer({ minimum: 0, default: 0, description: "Page number, from 0" }),
  perPage: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
};

export const LoginBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 128 }),
    password: Type.String({ minLength: 1, maxLength: 1024 }),
  },
  { additionalProperties: false },
);

export const CreateTokenBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 128, description: "What the token is for (shown in logs)" }),
    role: RoleParam,
    ttlMs: Type.Optional(Type.Integer({ minimum: 60_000, description: "Lifetime; absent: no expiry" })),
  },
  { additionalProperties: false },
);

export const CreateNodeBody = Type.Object(
  {
    name: Type.String({ pattern: "^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$", description: "Unique node name" }),
    environment: EnvironmentParam,
    labels: Type.Optional(
      Type.Record(Type.String({ pattern: LABEL_KEY_PATTERN }), Type.String({ maxLength: 256 }), {
        maxProperties: 32,
        additionalProperties: false,
      }),
    ),
    apiUrl: Type.Optional(
      Type.String({
        pattern: "^https?://[^\\s]+$",
        maxLength: 2048,
        description: "MediaMTX Control API URL: makes the node agentless",
      }),
    ),
    username: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
    password: Type.Optional(
      Type.String({ minLength: 1, maxLength: 1024, description: "Stored sealed; never returned" }),
    ),
    rtspUrl: Type.Optional(Type.String({ pattern: "^rtsps?://[^\\s]+$", maxLength: 2048 })),
  },
  { additionalProperties: false },
);

export const NodesQuery = Type.Object(
  {
    environment: Type.Optional(EnvironmentParam),
    label: Type.Optional(
      Type.Array(Type.String({ pattern: "^[^=]+=.*$" }), {
        description: "key=value; repeat to require several",
      }),
    ),
  },
  { additionalProperties: false },
);

export const StreamsQuery = Type.Object(
  {
    node: Type.Optional(Type.String({ pattern: NODE_ID_PATTERN })),
    environment: Type.Optional(EnvironmentParam),
    status: Type.Optional(
      Type.Enum([...STREAM_VERDICTS], {
        description: "The verdict; unknown = node not online or no health reported (never 'off')",
      }),
    ),
    availability: Type.Optional(
      Type.Enum([...STREAM_AVAILABILITIES], {
        description: "Has a publisher; unknown = node not online",
      }),
    ),
    ...page,
  },
  { additionalProperties: false },
);

export const EventsQuery = Type.Object(
  {
    node: Type.Optional(Type.String({ pattern: NODE_ID_PATTERN })),
    kind: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    since: Type.Optional(
      Type.String({ format: "date-time", description: "Occurred at or after (ISO 8601)" }),
    ),
    ...page,
  },
  { additionalProperties: false },
);

/** Longest a probe command may be given: past it the probe is not worth waiting for. */
export const MAX_PROBE_TIMEOUT_MS = 120_000;
/**
 * The agent has this long to answer `POST /health/probe/{id}` unless `timeoutMs` says otherwise:
 * past the probe plugin's own hard limit (20 s by default), so its MTX_PROBE_TIMEOUT comes back
 * rather than the hub's MTX_LINK_TIMEOUT.
 */
export const DEFAULT_PROBE_TIMEOUT_MS = 25_000;

const probeTimeoutMs = Type.Integer({
  minimum: 1_000,
  maximum: MAX_PROBE_TIMEOUT_MS,
  default: DEFAULT_PROBE_TIMEOUT_MS,
  description: "How long the agent has to answer (the probe's deadline), ms",
});

export const ProbeQuery = Type.Object({ timeoutMs: probeTimeoutMs }, { additionalProperties: false });

export const ThumbnailQuery = Type.Object(
  {
    fresh: Type.Boolean({
      default: false,
      description: "Take a new thumbnail instead of the latest (operator role)",
    }),
  },
  { additionalProperties: false },
);

export const ProbeUrlBody = Type.Object(
  {
    nodeId: Type.String({ pattern: NODE_ID_PATTERN, description: "The node that probes (UUID)" }),
    url: Type.String({
      minLength: 1,
      maxLength: 2048,
      pattern: "^[A-Za-z][A-Za-z0-9+.-]*://[^\\s]+$",
      description: "What to probe; the node's agent decides which schemes and hosts it may reach",
    }),
    timeoutMs: Type.Optional(probeTimeoutMs),
  },
  { additionalProperties: false },
);
