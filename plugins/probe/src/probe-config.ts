import { type Static, Type } from "@mtx-fleet/plugin-api";
import { DEFAULT_PROBE_URL_SCHEMES } from "./deep/check-probe-url.ts";

/** How the probe reads the local MediaMTX by default: RTSP (over TCP, see the engine). */
export const DEFAULT_READ_URL = "rtsp://127.0.0.1:8554/{path}";

/** Schemes `probe.url` accepts by default: the engine's list (what MediaMTX reads and serves). */
export const DEFAULT_URL_SCHEMES: readonly string[] = DEFAULT_PROBE_URL_SCHEMES;

const fraction = (defaultValue: number, description: string) =>
  Type.Number({ minimum: 0, maximum: 1, default: defaultValue, description });

/**
 * Limits a stream is judged against, with their defaults; `withDefaults: false` gives the same
 * fields without defaults, for overrides: ajv fills a `default` wherever a schema is evaluated,
 * so an override with defaults would silently reset every threshold it does not name.
 */
function thresholdFields(withDefaults: boolean) {
  const d = (value: number) => (withDefaults ? { default: value } : {});
  return {
    stallAfterMs: Type.Integer({
      minimum: 250,
      ...d(1_500),
      description:
        "An available stream whose inbound bytes have not grown for this long is `stalled`. It is flagged on the first poll this long after the last growth: within two poll intervals while it is at most 0.9 × mediamtx.pollIntervalMs (the agent spreads its polls by ±10 %; the default suits the default 2 s interval). Far below a source's burst gap it flags false stalls.",
    }),
    framesInErrorPerMinute: Type.Integer({
      minimum: 1,
      ...d(1),
      description: "Frames in error over the last minute from which the stream is `frames_in_error`.",
    }),
    blackMinSeconds: Type.Number({
      exclusiveMinimum: 0,
      ...d(2),
      description: "Shortest black run that counts (blackdetect d).",
    }),
    blackPixelThreshold: Type.Number({
      minimum: 0,
      maximum: 1,
      ...d(0.1),
      description: "Luminance under which a pixel is black (blackdetect pix_th, 0-1).",
    }),
    freezeMinSeconds: Type.Number({
      exclusiveMinimum: 0,
      ...d(2),
      description: "Shortest still run that counts (freezedetect d).",
    }),
    freezeNoiseDb: Type.Number({
      maximum: 0,
      ...d(-60),
      description: "Noise tolerance of freezedetect (n), dB.",
    }),
    silenceMinSeconds: Type.Number({
      exclusiveMinimum: 0,
      ...d(2),
      description: "Shortest silence that counts (silencedetect d).",
    }),
    silenceNoiseDb: Type.Number({
      maximum: 0,
      ...d(-50),
      description: "Level under which audio is silence (silencedetect n), dB.",
    }),
    fpsDropRatio: Type.Number({
      minimum: 0,
      maximum: 1,
      ...d(0.8),
      description:
        "Measured fps below this share of the expected fps (override `expectedFps`, else what the stream declares) is `fps_drop`.",
    }),
    startupMaxMs: Type.Integer({
      minimum: 1,
      ...d(5_000),
      description: "A probe that needs longer than this to its first frame reports `slow_start`.",
    }),
    srtLossRatePercent: Type.Number({
      minimum: 0,
      ...d(1),
      description: "SRT publishers: receive loss rate (percent) from which the stream is `srt_loss`.",
    }),
    srtRttMs: Type.Number({
      minimum: 0,
      ...d(500),
      description: "SRT publishers: smoothed round-trip time (ms) from which the stream is `srt_rtt`.",
    }),
  };
}

export const probeThresholds = Type.Object(thresholdFields(true), {
  default: {},
  additionalProperties: false,
});
export type ProbeThresholds = Static<typeof probeThresholds>;

const streamOverride = Type.Object(
  {
    match: Type.String({
      minLength: 1,
      description:
        "A path name (literal) or `~regex` matched against the whole name, as in MediaMTX's `paths:`. The first matching override wins.",
    }),
    thresholds: Type.Optional(
      Type.Partial(Type.Object(thresholdFields(false)), { additionalProperties: false }),
    ),
    expectAudio: Type.Optional(Type.Boolean({ description: "A stream without audio is `no_audio`." })),
    expectedFps: Type.Optional(
      Type.Number({ exclusiveMinimum: 0, description: "The frame rate `fps_drop` compares with." }),
    ),
    deep: Type.Optional(Type.Boolean({ description: "Deep-probe (and thumbnail) these streams." })),
  },
  { additionalProperties: false },
);
export type StreamOverride = Static<typeof streamOverride>;

/** Config of the probe plugin (`plugins.probe.config` in the agent's file). */
export const probeConfig = Type.Object(
  {
    readUrl: Type.String({
      pattern: "\\{path\\}",
      default: DEFAULT_READ_URL,
      description:
        "How probes read a stream from the local MediaMTX; `{path}` is the path name. RTSP by default; `http://127.0.0.1:8888/{path}/index.m3u8` reads HLS.",
    }),
    expectAudio: Type.Boolean({
      default: false,
      description: "Whether streams must carry audio (`no_audio`); per pattern in `overrides`.",
    }),
    deep: Type.Object(
      {
        enabled: Type.Boolean({ default: true, description: "Run tier-2 probes (ffprobe/ffmpeg)." }),
        intervalMs: Type.Integer({
          minimum: 5_000,
          default: 300_000,
          description: "Scheduled deep probe of each stream.",
        }),
        jitter: fraction(0.2, "Random spread added to each delay, as a share of it."),
        recheckIntervalMs: Type.Integer({
          minimum: 1_000,
          default: 60_000,
          description: "Sooner re-probe while the last deep probe found a problem (to see recovery).",
        }),
        newStreamDelayMs: Type.Integer({
          minimum: 0,
          default: 3_000,
          description: "First probe after a stream (re)appears, once it has had time to start.",
        }),
        minGapMs: Type.Integer({
          minimum: 0,
          default: 30_000,
          description: "Suspicion from tier 1 re-probes a stream at most this often.",
        }),
        sampleSeconds: Type.Number({
          minimum: 0.5,
          maximum: 60,
          default: 5,
          description: "Media sampled per probe.",
        }),
        timeoutMs: Type.Integer({
          minimum: 1_000,
          default: 20_000,
          description: "Hard limit of one probe; its processes are killed after it.",
        }),
        maxConcurrent: Type.Integer({ minimum: 1, maximum: 64, default: 2, description: "Probes at once." }),
        maxQueued: Type.Integer({
          minimum: 0,
          default: 32,
          description: "Probes waiting for a slot; beyond it a request fails with MTX_PROBE_BUSY.",
        }),
        backoffBaseMs: Type.Integer({
          minimum: 1_000,
          default: 10_000,
          description:
            "Delay after a failed probe of a stream; doubles per failure. Short at first: a stream that just appeared may not be readable yet (an HLS muxer starting).",
        }),
        backoffMaxMs: Type.Integer({
          minimum: 1_000,
          default: 1_800_000,
          description: "Longest such delay.",
        }),
      },
      { default: {}, additionalProperties: false },
    ),
    thresholds: probeThresholds,
    overrides: Type.Array(streamOverride, { default: [] }),
    history: Type.Object(
      {
        maxEntries: Type.Integer({
          minimum: 1,
          maximum: 1_000,
          default: 50,
          description: "Verdict changes kept per stream.",
        }),
      },
      { default: {}, additionalProperties: false },
    ),
    thumbnails: Type.Object(
      {
        enabled: Type.Boolean({ default: true }),
        intervalMs: Type.Integer({
          minimum: 5_000,
          default: 300_000,
          description: "Scheduled thumbnail of each stream.",
        }),
        maxWidth: Type.Integer({ minimum: 16, maximum: 1_920, default: 320, description: "Pixels." }),
        maxCount: Type.Integer({
          minimum: 1,
          default: 500,
          description: "Thumbnails kept (one per stream).",
        }),
        maxBytes: Type.Integer({
          minimum: 65_536,
          default: 33_554_432,
          description: "Total bytes of the thumbnails kept; the oldest go first.",
        }),
        timeoutMs: Type.Integer({ minimum: 1_000, default: 15_000 }),
        dir: Type.String({
          minLength: 1,
          pattern: "^[^/.][^/]*$",
          default: "thumbnails",
          description: "Directory name under the plugin's data directory.",
        }),
      },
      { default: {}, additionalProperties: false },
    ),
    urls: Type.Object(
      {
        allowSchemes: Type.Array(Type.String({ pattern: "^[a-z][a-z0-9+.-]*$" }), {
          default: [...DEFAULT_URL_SCHEMES],
          uniqueItems: true,
          description: "Schemes `probe.url` accepts.",
        }),
        allowNetworks: Type.Array(Type.String({ minLength: 1 }), {
          default: [],
          description:
            "CIDRs `probe.url` may reach although they are loopback/private/link-local (none by default: no SSRF).",
        }),
      },
      { default: {}, additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

/** The validated config of the probe plugin. */
export type ProbeConfig = Static<typeof probeConfig>;
