import { MtxError } from "@mtx-fleet/plugin-api";
import { captureThumbnail } from "./deep/capture-thumbnail.ts";
import { ProbeLimiter } from "./deep/probe-limiter.ts";
import { runDeepProbe } from "./deep/run-deep-probe.ts";
import type { ProbeEngine, ThumbnailOutcome, ThumbnailRequest } from "./probe-engine.ts";

async function thumbnail(request: ThumbnailRequest): Promise<ThumbnailOutcome> {
  const { url, signal, ...options } = request;
  try {
    const jpeg = await captureThumbnail(url, { ...options, ...(signal === undefined ? {} : { signal }) });
    return { kind: "captured", jpeg };
  } catch (error) {
    // The engine rejects; the plugin paces on outcomes (a failure backs off, an abort does not).
    if (signal?.aborted === true) return { kind: "aborted" };
    if (MtxError.is(error, "MTX_PROBE_TIMEOUT")) return { kind: "timeout" };
    if (MtxError.is(error, "MTX_PROBE_FAILED")) return { kind: "failed", message: error.message };
    throw error;
  }
}

/** The real engine: one ffmpeg per probe or thumbnail (`deep/`), capped by `ProbeLimiter`. */
export const realProbeEngine: ProbeEngine = {
  deepProbe: (request) => runDeepProbe(request),
  thumbnail,
  slots: (options) => new ProbeLimiter(options),
};
