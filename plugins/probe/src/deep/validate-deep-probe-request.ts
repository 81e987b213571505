import { MtxError } from "@mtx-fleet/plugin-api";
import type { DeepProbeRequest } from "./deep-probe-types.ts";

/**
 * Refuses a request whose numbers could not be ffmpeg options (they go into filter strings) or
 * whose user agent holds control characters (it goes into RTSP/HTTP headers). The plugin's
 * config schema already bounds them; this is the engine's own edge.
 */
export function validateDeepProbeRequest(request: DeepProbeRequest): void {
  const issues: string[] = [];
  const positive = (name: string, v: number) => {
    if (!Number.isFinite(v) || v <= 0) issues.push(`${name} must be a positive number`);
  };
  const finite = (name: string, v: number) => {
    if (!Number.isFinite(v)) issues.push(`${name} must be a finite number`);
  };
  positive("sampleSeconds", request.sampleSeconds);
  positive("timeoutMs", request.timeoutMs);
  const t = request.thresholds;
  positive("thresholds.blackMinSeconds", t.blackMinSeconds);
  positive("thresholds.freezeMinSeconds", t.freezeMinSeconds);
  positive("thresholds.silenceMinSeconds", t.silenceMinSeconds);
  finite("thresholds.freezeNoiseDb", t.freezeNoiseDb);
  finite("thresholds.silenceNoiseDb", t.silenceNoiseDb);
  if (!(t.blackPixelThreshold >= 0 && t.blackPixelThreshold <= 1)) {
    issues.push("thresholds.blackPixelThreshold must be within 0..1");
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: that is the point
  if (/[\u0000-\u001f\u007f]/.test(request.userAgent))
    issues.push("userAgent must not hold control characters");
  if (request.url.trim() === "") issues.push("url must not be empty");
  if (issues.length > 0) {
    throw new MtxError("MTX_INVALID_INPUT", `deep probe request: ${issues.join("; ")}`, {
      details: { issues },
    });
  }
}
