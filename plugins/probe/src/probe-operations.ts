import { MtxError, parseConfig, type StreamHealth, Type } from "@mtx-fleet/plugin-api";
import { redactUrl } from "./deep/redact-url.ts";
import { deepFindings } from "./deep-findings.ts";
import { verdictOf } from "./judge-stream.ts";
import type { ProbeConfig } from "./probe-config.ts";
import type { ProbeEngine, ProbeSlots } from "./probe-engine.ts";
import type { StreamMonitor } from "./stream-monitor.ts";
import type { ThumbnailStore } from "./thumbnail-store.ts";

const pathName = Type.String({ minLength: 1, maxLength: 1_024, description: "MediaMTX path name" });
export const PathInput = Type.Object({ path: pathName }, { additionalProperties: false });
export const ThumbnailInput = Type.Object(
  { path: pathName, fresh: Type.Boolean({ default: false, description: "Take a new one" }) },
  { additionalProperties: false },
);
export const UrlInput = Type.Object(
  { url: Type.String({ minLength: 1, maxLength: 4_096 }) },
  { additionalProperties: false },
);

/** The answer to `probe.path`: the stream's health after the probe. */
export type PathProbeAnswer = Partial<StreamHealth> & {
  readonly path: string;
  /** What the deep probe gave; `skipped` when the stream was not flowing (tier 1 decides). */
  readonly probe: "measured" | "failed" | "timeout" | "aborted" | "skipped";
};

/** The answer to `probe.thumbnail` (a hub command result is JSON, so the JPEG is base64). */
export interface ThumbnailAnswer {
  readonly path: string;
  readonly contentType: "image/jpeg";
  readonly dataBase64: string;
  /** Epoch ms the frame was taken. */
  readonly takenAt: number;
  readonly bytes: number;
}

export interface ProbeOperationsOptions {
  readonly config: ProbeConfig;
  readonly monitor: StreamMonitor;
  readonly thumbnails: ThumbnailStore;
  readonly engine: ProbeEngine;
  readonly slots: ProbeSlots;
  readonly userAgent: string;
  readonly signal: AbortSignal;
}

/**
 * The on-demand operations behind the actions and the local routes: input validated here (it
 * comes from the hub or the network), one implementation for both transports.
 */
export class ProbeOperations {
  readonly #o: ProbeOperationsOptions;

  constructor(options: ProbeOperationsOptions) {
    this.#o = options;
  }

  async probePath(input: unknown, signal?: AbortSignal): Promise<PathProbeAnswer> {
    const { path } = parseConfig(PathInput, input, "input");
    const run = await this.#o.monitor.probeNow(path, signal);
    const health = this.#o.monitor.report(path)?.health ?? {};
    return { path, ...health, probe: run?.result.kind ?? "skipped" };
  }

  async thumbnail(input: unknown, signal?: AbortSignal): Promise<ThumbnailAnswer> {
    const { path, fresh } = parseConfig(ThumbnailInput, input, "input");
    const stored = fresh ? undefined : await this.#o.thumbnails.get(path);
    if (stored !== undefined) return answerOf(path, stored.jpeg, stored.takenAt);
    const run = await this.#o.monitor.thumbnailNow(path, signal);
    if (run === undefined) {
      throw new MtxError("MTX_PROBE_FAILED", `path '${path}' has no flowing stream to take a thumbnail of`, {
        details: { path, health: this.#o.monitor.report(path)?.health?.verdict ?? null },
      });
    }
    switch (run.kind) {
      case "captured":
        return answerOf(path, run.jpeg, run.takenAt);
      case "failed":
        throw new MtxError("MTX_PROBE_FAILED", `no thumbnail of '${path}': ${run.message}`, {
          details: { path },
        });
      case "timeout":
        throw new MtxError(
          "MTX_PROBE_TIMEOUT",
          `no thumbnail of '${path}' within ${this.#o.config.thumbnails.timeoutMs} ms`,
          {
            details: { path },
          },
        );
      case "aborted":
        throw new MtxError("MTX_UNAVAILABLE", `the thumbnail of '${path}' was cancelled`, {
          details: { path },
        });
      default:
        return run satisfies never;
    }
  }

  /**
   * The deep probe of an operator-given URL, judged by the default thresholds. The URL is
   * checked first (scheme allow-list, no loopback/private targets unless allowed: no SSRF);
   * its credentials never appear in the answer.
   */
  async probeUrl(input: unknown, signal?: AbortSignal) {
    const { url } = parseConfig(UrlInput, input, "input");
    const { engine, config, slots } = this.#o;
    const combined = signal === undefined ? this.#o.signal : AbortSignal.any([this.#o.signal, signal]);
    const deep = config.deep;
    const t = config.thresholds;
    const result = await slots.run(
      () =>
        engine.deepProbe({
          url,
          // The engine checks the URL and pins what it connects to (also redirects, HLS segments).
          urlPolicy: { allowSchemes: config.urls.allowSchemes, allowNetworks: config.urls.allowNetworks },
          sampleSeconds: deep.sampleSeconds,
          timeoutMs: deep.timeoutMs,
          checks: { black: true, freeze: true, silence: true },
          thresholds: {
            blackMinSeconds: t.blackMinSeconds,
            blackPixelThreshold: t.blackPixelThreshold,
            freezeMinSeconds: t.freezeMinSeconds,
            freezeNoiseDb: t.freezeNoiseDb,
            silenceMinSeconds: t.silenceMinSeconds,
            silenceNoiseDb: t.silenceNoiseDb,
          },
          userAgent: this.#o.userAgent,
          signal: combined,
        }),
      { signal: combined },
    );
    const shown = redactUrl(url);
    switch (result.kind) {
      case "failed":
        throw new MtxError("MTX_PROBE_FAILED", `could not read ${shown}: ${result.message}`, {
          details: { url: shown, stderr: result.stderr, elapsedMs: result.elapsedMs },
        });
      case "timeout":
        throw new MtxError("MTX_PROBE_TIMEOUT", `no answer from ${shown} within ${deep.timeoutMs} ms`, {
          details: { url: shown, elapsedMs: result.elapsedMs },
        });
      case "aborted":
        throw new MtxError("MTX_UNAVAILABLE", `the probe of ${shown} was cancelled`, {
          details: { url: shown },
        });
      case "measured": {
        const findings = deepFindings(result, {
          thresholds: t,
          expectAudio: false,
          expectedFps: null,
          deep: true,
        });
        return {
          url: shown,
          verdict: verdictOf(findings.reasons),
          reasons: findings.reasons,
          values: findings.values,
        };
      }
      default:
        return result satisfies never;
    }
  }
}

function answerOf(path: string, jpeg: Uint8Array, takenAt: number): ThumbnailAnswer {
  return {
    path,
    contentType: "image/jpeg",
    dataBase64: Buffer.from(jpeg).toString("base64"),
    takenAt,
    bytes: jpeg.byteLength,
  };
}
