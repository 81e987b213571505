import { MtxError } from "@mtx-fleet/plugin-api";
import { type DeepProbeArgsOptions, deepProbeArgs } from "./deep-probe-args.ts";
import type { DeepProbeMeasurement, DeepProbeRequest, DeepProbeResult } from "./deep-probe-types.ts";
import { failureMessage } from "./failure-message.ts";
import { type FfmpegLogFacts, FfmpegLogParser } from "./ffmpeg-log-parser.ts";
import { schemeOf, toolEnv } from "./input-args.ts";
import { type ProbeTarget, probeTarget } from "./probe-target.ts";
import { redactUrl } from "./redact-url.ts";
import { type GroupRun, runProcessGroup } from "./run-process-group.ts";
import { validateDeepProbeRequest } from "./validate-deep-probe-request.ts";

export interface RunDeepProbeOptions extends Omit<DeepProbeArgsOptions, "inputUrl" | "httpProxyUrl"> {
  readonly ffmpegPath?: string;
  readonly killGraceMs?: number;
  /** Called with the process group once ffmpeg runs (tests and diagnostics). */
  readonly onSpawn?: (pgid: number) => void;
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

function measurement(facts: FfmpegLogFacts, run: GroupRun): DeepProbeMeasurement {
  const sampled = facts.sampledSeconds ?? 0;
  const video =
    facts.video === null
      ? null
      : {
          ...facts.video,
          measuredFps: facts.frames === null || sampled <= 0 ? null : round(facts.frames / sampled, 2),
        };
  return {
    startupMs: Math.round(facts.firstFrameAtMs ?? run.elapsedMs),
    elapsedMs: Math.round(run.elapsedMs),
    cpuMs: run.cpuMs ?? 0,
    video,
    audio: facts.audio,
    bitrateBps:
      facts.demuxedBytes === null || sampled <= 0 ? null : Math.round((facts.demuxedBytes * 8) / sampled),
    sampledSeconds: round(sampled, 3),
    black: facts.black,
    frozen: facts.frozen,
    silent: facts.silent,
  };
}

/** Runs the probe's ffmpeg, feeding its stderr to the parser; stops it on an RTSP redirect when pinned. */
async function runFfmpeg(
  request: DeepProbeRequest,
  options: RunDeepProbeOptions,
  target: ProbeTarget,
  stop: AbortController,
  remainingMs: number,
): Promise<{ run: GroupRun; facts: FfmpegLogFacts }> {
  const { ffmpegPath = "ffmpeg", killGraceMs, onSpawn, ...tuning } = options;
  const parser = new FfmpegLogParser();
  const pinned = request.urlPolicy !== undefined;
  const args = deepProbeArgs(request, {
    ...tuning,
    inputUrl: target.inputUrl,
    ...(target.proxy === undefined ? {} : { httpProxyUrl: target.proxy.url }),
  });
  const run = await runProcessGroup(ffmpegPath, args, {
    timeoutMs: Math.max(1, remainingMs),
    signal: stop.signal,
    env: toolEnv(),
    ...(killGraceMs === undefined ? {} : { killGraceMs }),
    ...(onSpawn === undefined ? {} : { onSpawn }),
    onStderrLine: (line, atMs) => {
      parser.push(line, atMs);
      // ffmpeg follows an RTSP redirect by itself, to an address nobody checked.
      if (pinned && parser.redirectedTo !== null) stop.abort();
    },
  });
  return { run, facts: parser.facts() };
}

function outcome(
  request: DeepProbeRequest,
  target: ProbeTarget,
  run: GroupRun,
  facts: FfmpegLogFacts,
  elapsedMs: number,
): DeepProbeResult {
  const refusal = target.proxy?.refusals[0];
  if (refusal !== undefined) throw refusal;
  if (request.urlPolicy !== undefined && facts.redirectedTo !== null) {
    throw new MtxError(
      "MTX_URL_FORBIDDEN",
      `probe refused: the ${schemeOf(request.url)} server redirected the reader`,
      {
        details: { reason: "redirect" },
      },
    );
  }
  if (run.outcome === "timeout") return { kind: "timeout", elapsedMs };
  if (run.outcome === "aborted") return { kind: "aborted", elapsedMs };
  if (run.exitCode !== 0 || !facts.finished || (facts.video === null && facts.audio === null)) {
    // ffmpeg names its input in errors: never let credentials or tokens in the URL out.
    const stderr = scrubUrls(run.stderrTail, [request.url, target.inputUrl]);
    const message = facts.finished ? "the stream has no audio or video track" : failureMessage(stderr);
    return { kind: "failed", message, stderr, elapsedMs };
  }
  return { kind: "measured", measurement: { ...measurement(facts, run), elapsedMs } };
}

/**
 * One deep probe: ONE ffmpeg process reads the stream info and runs the filters over the sample
 * (a separate ffprobe would open a second connection, a second reader on the path, and pay the
 * start-up — process, DNS, handshake, probing — twice; `npm run bench` measures both). Spawned in
 * its own process group, killed as a tree (SIGKILL) at the hard timeout or on abort, reaped
 * before this resolves. With `request.urlPolicy` the URL is checked and pinned first; a refusal
 * (also of a redirect or HLS segment) rejects with `MTX_URL_FORBIDDEN`.
 */
export async function runDeepProbe(
  request: DeepProbeRequest,
  options: RunDeepProbeOptions = {},
): Promise<DeepProbeResult> {
  validateDeepProbeRequest(request);
  if (request.signal?.aborted === true) return { kind: "aborted", elapsedMs: 0 };
  const started = performance.now();
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  request.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    // A refused redirect or segment decides the outcome: no need to let ffmpeg retry until the timeout.
    const target = await probeTarget(request.url, request.urlPolicy, onAbort);
    try {
      const remainingMs = request.timeoutMs - (performance.now() - started);
      const { run, facts } = await runFfmpeg(request, options, target, stop, remainingMs);
      return outcome(request, target, run, facts, Math.round(performance.now() - started));
    } finally {
      await target.proxy?.close();
    }
  } finally {
    request.signal?.removeEventListener("abort", onAbort);
  }
}

/** `text` with every occurrence of the given URLs replaced by their redacted form. */
function scrubUrls(text: string, urls: readonly string[]): string {
  let scrubbed = text;
  for (const url of urls) if (url !== "") scrubbed = scrubbed.replaceAll(url, redactUrl(url));
  return scrubbed;
}
