// A stand-in for the agent's probe plugin, loaded by path by the stream-health e2e while the
// real one is not yet a built-in. It offers the same actions (probe.path, probe.thumbnail,
// probe.url) with the same answers and reason codes, and reports health on the stream board,
// so the hub's side is proven end to end through a real agent. It judges from the shared
// snapshot (availability, tracks) and, instead of ffmpeg filters, from the scenario the
// simulator says it publishes; thumbnails and URL probes are real ffmpeg/ffprobe reads.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { definePlugin, type HealthReason, MtxError, type StreamHealth, Type } from "@mtx-fleet/plugin-api";

const run = promisify(execFile);

type Reason = HealthReason & { readonly severity: "degraded" | "unhealthy" };

/** What a deep probe would find in each simulator scenario (the probe plugin's codes). */
const SCENARIO_REASONS: Readonly<Record<string, Reason | undefined>> = {
  black: { code: "black", severity: "unhealthy", message: "the sampled picture is black" },
  frozen: { code: "frozen", severity: "unhealthy", message: "the sampled picture does not change" },
  lowfps: { code: "fps_drop", severity: "degraded", message: "5 fps decoded, 25 expected" },
  silent: { code: "silent", severity: "degraded", message: "the sampled audio is silence" },
  stalled: { code: "stalled", severity: "unhealthy", message: "inbound bytes stopped growing" },
};

const ALLOWED_SCHEMES = new Set(["rtsp:", "rtsps:", "rtmp:", "rtmps:", "srt:", "http:", "https:"]);

export default definePlugin({
  manifest: { name: "health-fixture", version: "1.0.0", apiRange: "^1.0.0" },
  config: Type.Object(
    {
      /** The simulator's control endpoint: its `/state` names each path's scenario. */
      controlUrl: Type.String({ minLength: 1 }),
      /** The simulator's HLS server: thumbnails are read from it. */
      hlsUrl: Type.String({ minLength: 1 }),
      intervalMs: Type.Integer({ minimum: 100, default: 500 }),
      /** Paths that must carry audio (`no_audio` otherwise). */
      expectAudio: Type.Array(Type.String(), { default: [] }),
      /** Let probe.url read loopback addresses (the simulator listens there). */
      allowLoopback: Type.Boolean({ default: false }),
    },
    { additionalProperties: false },
  ),
  setup: (ctx, config) => {
    const since = new Map<string, { verdict: string; at: number }>();
    const thumbnails = new Map<string, { jpeg: Buffer; takenAt: number }>();

    const scenarios = async (): Promise<Map<string, string | null>> => {
      const res = await fetch(`${config.controlUrl}/state`, { signal: ctx.signal });
      const state = (await res.json()) as { paths: Array<{ name: string; scenario: string | null }> };
      return new Map(state.paths.map((p) => [p.name, p.scenario]));
    };

    const judge = (path: string, available: boolean, tracks: readonly string[], scenario: string | null) => {
      const reasons: Reason[] = [];
      if (!available) reasons.push({ code: "unavailable", severity: "unhealthy", message: "no stream" });
      else {
        const found = scenario === null ? undefined : SCENARIO_REASONS[scenario];
        if (found !== undefined) reasons.push(found);
        if (config.expectAudio.includes(path) && !tracks.some((t) => /audio|opus|g711/i.test(t))) {
          reasons.push({ code: "no_audio", severity: "unhealthy", message: `only ${tracks.join(", ")}` });
        }
      }
      const verdict = reasons.some((r) => r.severity === "unhealthy")
        ? "unhealthy"
        : reasons.length > 0
          ? "degraded"
          : "healthy";
      const now = ctx.clock.now();
      const previous = since.get(path);
      if (previous?.verdict !== verdict) since.set(path, { verdict, at: now });
      const health: StreamHealth = {
        verdict,
        reasons,
        values: { scenario: scenario ?? "none", tracks: tracks.join(", ") },
        checkedAt: now,
        since: since.get(path)?.at ?? now,
      };
      ctx.streams.setHealth(path, health);
      return health;
    };

    const judgeAll = async (only?: string): Promise<StreamHealth | undefined> => {
      const current = ctx.mediamtx.current();
      if (current === null) return undefined;
      const byScenario = await scenarios();
      let answer: StreamHealth | undefined;
      for (const path of current.snapshot.paths) {
        if (only !== undefined && path.name !== only) continue;
        answer = judge(path.name, path.available, path.tracks, byScenario.get(path.name) ?? null);
      }
      return answer;
    };

    const grab = async (path: string, signal: AbortSignal): Promise<{ jpeg: Buffer; takenAt: number }> => {
      const url = `${config.hlsUrl}/${path}/index.m3u8`;
      ctx.streams.setOwnReaders(path, 1);
      try {
        const args = ["-v", "error", "-i", url, "-frames:v", "1", "-f", "mjpeg", "pipe:1"];
        const { stdout } = await run("ffmpeg", args, { encoding: "buffer", signal, timeout: 10_000 });
        const shot = { jpeg: stdout, takenAt: ctx.clock.now() };
        thumbnails.set(path, shot);
        return shot;
      } catch (error) {
        const e = error as { killed?: boolean; message?: string };
        if (e.killed === true) throw new MtxError("MTX_PROBE_TIMEOUT", `no frame of '${path}' within 10 s`);
        throw new MtxError("MTX_PROBE_FAILED", `no thumbnail of '${path}': ${e.message ?? "ffmpeg failed"}`);
      } finally {
        ctx.streams.setOwnReaders(path, 0);
      }
    };

    const probeUrl = async (url: string, signal: AbortSignal) => {
      const parsed = new URL(url);
      const loopback = /^(127\.|localhost$|\[::1\]$)/.test(parsed.hostname);
      if (!ALLOWED_SCHEMES.has(parsed.protocol) || (loopback && !config.allowLoopback)) {
        throw new MtxError("MTX_URL_FORBIDDEN", `probing ${parsed.protocol}//${parsed.host} is not allowed`);
      }
      const args = ["-v", "error", "-show_streams", "-of", "json", url];
      try {
        const { stdout } = await run("ffprobe", args, { signal, timeout: 10_000 });
        const streams = (JSON.parse(stdout) as { streams: Array<{ codec_type: string; codec_name: string }> })
          .streams;
        const codec = (type: string) => streams.find((s) => s.codec_type === type)?.codec_name ?? "none";
        return {
          url,
          verdict: "healthy",
          reasons: [],
          values: { videoCodec: codec("video"), audioCodec: codec("audio") },
        };
      } catch (error) {
        throw new MtxError("MTX_PROBE_FAILED", `could not read ${url}: ${(error as Error).message}`);
      }
    };

    return {
      start: () => {
        ctx.scheduler.every(config.intervalMs, async () => void (await judgeAll()), { immediate: true });
        ctx.actions.register("probe.path", async (input) => {
          const { path } = input as { path: string };
          const health = await judgeAll(path);
          return { path, ...health, probe: health === undefined ? "skipped" : "measured" };
        });
        ctx.actions.register("probe.thumbnail", async (input, action) => {
          const { path, fresh } = input as { path: string; fresh: boolean };
          const shot = (fresh ? undefined : thumbnails.get(path)) ?? (await grab(path, action.signal));
          return {
            path,
            contentType: "image/jpeg",
            dataBase64: shot.jpeg.toString("base64"),
            takenAt: shot.takenAt,
            bytes: shot.jpeg.length,
          };
        });
        ctx.actions.register("probe.url", (input, action) =>
          probeUrl((input as { url: string }).url, action.signal),
        );
      },
    };
  },
});
