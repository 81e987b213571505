import { type Static, Type } from "@mtx-fleet/plugin-api";
import { DEFAULT_RECEIVER_HOST, DEFAULT_RECEIVER_PORT } from "./hook-defaults.ts";

export const DEFAULT_DRAIN_INTERVAL_MS = 5_000;
export const DEFAULT_GRACE_MS = 1_000;

/** Config of the hooks plugin; the wrapper's defaults match these (see hook-defaults.ts). */
export const hooksConfig = Type.Object(
  {
    host: Type.String({
      minLength: 1,
      default: DEFAULT_RECEIVER_HOST,
      description: "Address the hook receiver listens on (loopback: only local processes can post).",
    }),
    port: Type.Integer({
      minimum: 0,
      maximum: 65_535,
      default: DEFAULT_RECEIVER_PORT,
      description: "Receiver port (mtx-hook's --url / MTX_HOOK_URL must name it); 0 picks a free one.",
    }),
    token: Type.Optional(
      Type.String({
        minLength: 16,
        description: "Bearer token the wrapper sends; without it the token is read from tokenFile.",
      }),
    ),
    tokenFile: Type.Optional(
      Type.String({
        minLength: 1,
        description:
          "File holding the token (default <agent dataDir>/plugins/hooks/token, created with a random token when missing).",
      }),
    ),
    spoolDir: Type.Optional(
      Type.String({
        minLength: 1,
        description:
          "Where mtx-hook spools undelivered events (default <agent dataDir>/plugins/hooks/spool).",
      }),
    ),
    drainIntervalMs: Type.Integer({
      minimum: 250,
      default: DEFAULT_DRAIN_INTERVAL_MS,
      description: "How often the spool is drained (also once at start).",
    }),
    reconcile: Type.Boolean({
      default: true,
      description: "Synthesise a ready/not-ready that never arrived from the API snapshot.",
    }),
    graceMs: Type.Integer({
      minimum: 0,
      maximum: 60_000,
      default: DEFAULT_GRACE_MS,
      description:
        "How long a snapshot/hook mismatch may last before a hook is synthesised; capped at half the poll interval.",
    }),
    queryEscaping: Type.Union([Type.Literal("auto"), Type.Literal("escaped"), Type.Literal("raw")], {
      default: "auto",
      description:
        "Whether MTX_QUERY arrives URL-escaped (MediaMTX >= v1.18.1): auto decides from the node's version.",
    }),
  },
  { additionalProperties: false },
);

/** The validated config of the hooks plugin. */
export type HooksConfig = Static<typeof hooksConfig>;
