import { type Static, Type } from "@mtx-fleet/plugin-api";

export const DEFAULT_GRACE_MS = 30_000;
/**
 * SIGKILL follows the stop signal after this. Kept well under the host's plugin stop limit
 * (`pluginHost.stopTimeoutMs`, 5 s) so that every group is killed and awaited within it.
 */
export const DEFAULT_STOP_TIMEOUT_MS = 3_000;

/**
 * A forwarder's command: copy the local stream to the destination without re-encoding. No
 * `-re`: the input is live, already paced by its publisher; `-re` would only add delay and drift.
 * `-rw_timeout` (µs) makes a stalled input end the process, so the supervisor restarts it
 * instead of ffmpeg hanging forever.
 */
export const DEFAULT_FORWARDER_COMMAND = [
  "ffmpeg",
  "-hide_banner",
  "-nostdin",
  "-loglevel",
  "warning",
  "-rw_timeout",
  "10000000",
  "-i",
  "{input}",
  "-c",
  "copy",
  "-f",
  "flv",
  "{destination}",
];

/** Environment variables a worker inherits from the agent; everything else is left behind. */
export const DEFAULT_INHERIT_ENV = ["PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR"];

const name = Type.String({
  pattern: "^[a-z0-9][a-z0-9._-]*$",
  maxLength: 64,
  description: "Unique name (lower case, digits, . _ -); it labels metrics and journal events",
});

const restart = Type.Object(
  {
    baseMs: Type.Integer({ minimum: 10, default: 1_000, description: "First restart delay" }),
    maxMs: Type.Integer({ minimum: 10, default: 60_000, description: "Longest restart delay" }),
    jitter: Type.Number({ minimum: 0, maximum: 1, default: 0.5, description: "Random share of each delay" }),
    stableAfterMs: Type.Integer({
      minimum: 0,
      default: 30_000,
      description: "A run this long resets the backoff to baseMs",
    }),
  },
  { default: {}, additionalProperties: false },
);

const supervision = {
  match: Type.String({
    minLength: 1,
    description:
      "Paths it takes: a template with captures (`live/{streamId}/in`) or `~regex` with named groups",
  }),
  env: Type.Record(Type.String({ pattern: "^[A-Za-z_][A-Za-z0-9_]*$" }), Type.String(), {
    default: {},
    description: "Extra environment of the process; values are templates",
  }),
  graceMs: Type.Integer({
    minimum: 0,
    default: DEFAULT_GRACE_MS,
    description: "How long the process outlives its stream; a stream back within it keeps the same process",
  }),
  restart,
  stopSignal: Type.Union([Type.Literal("SIGTERM"), Type.Literal("SIGINT")], {
    default: "SIGTERM",
    description: "Sent to the whole process group first",
  }),
  stopTimeoutMs: Type.Integer({
    minimum: 100,
    maximum: 60_000,
    default: DEFAULT_STOP_TIMEOUT_MS,
    description: "Then SIGKILL to the group",
  }),
};

const argv = (description: string) =>
  Type.Array(Type.String(), {
    minItems: 1,
    description: `${description}: an argv array, never a shell string; each element is a template`,
  });

const rule = Type.Object(
  { name, ...supervision, command: argv("The worker's command") },
  { additionalProperties: false },
);

const forwarder = Type.Object(
  {
    name,
    ...supervision,
    destinations: Type.Array(Type.String({ minLength: 1 }), {
      default: [],
      description:
        "RTMP URLs every matching stream is pushed to (templates); per-stream ones come from the local API",
    }),
    input: Type.String({
      default: "{rtmpUrl}/{path}",
      description: "The local URL the forwarder reads (template)",
    }),
    command: Type.Array(Type.String(), {
      minItems: 1,
      default: DEFAULT_FORWARDER_COMMAND,
      description: "One process per destination; `{input}` and `{destination}` are filled in",
    }),
  },
  { additionalProperties: false },
);

/** Config of the orchestration plugin. */
export const orchestrationConfig = Type.Object(
  {
    mediamtx: Type.Object(
      {
        rtmpUrl: Type.String({
          pattern: "^rtmps?://[^/]+$",
          default: "rtmp://127.0.0.1:1935",
          description: "The local MediaMTX RTMP base URL (`{rtmpUrl}`)",
        }),
        rtspUrl: Type.String({
          pattern: "^rtsps?://[^/]+$",
          default: "rtsp://127.0.0.1:8554",
          description: "The local MediaMTX RTSP base URL (`{rtspUrl}`)",
        }),
      },
      { default: {}, additionalProperties: false },
    ),
    rules: Type.Array(rule, { default: [], description: "One worker per matching stream and rule" }),
    forwarders: Type.Array(forwarder, { default: [], description: "Egress to third-party RTMP" }),
    reconcileFromSnapshot: Type.Boolean({
      default: true,
      description:
        "Also follow the shared API snapshot (streams live before the agent started, missed hooks)",
    }),
    inheritEnv: Type.Array(Type.String({ pattern: "^[A-Za-z_][A-Za-z0-9_]*$" }), {
      default: DEFAULT_INHERIT_ENV,
      description: "Agent environment variables passed on to workers (the rest may hold the agent's secrets)",
    }),
  },
  { additionalProperties: false },
);

/** The validated config of the orchestration plugin. */
export type OrchestrationConfig = Static<typeof orchestrationConfig>;
export type RuleConfig = Static<typeof rule>;
export type ForwarderConfig = Static<typeof forwarder>;
