// Deep-probe benchmark (issue #5): on ONE simulator stream, in one run, the engine's probe next
// to what a plain ffprobe / ffmpeg costs with their defaults, and probes per minute at the cap.
// Every command runs through the engine's process-group runner, so wall time and CPU (the
// kernel's rusage of the whole tree, via the `times` wrapper) are measured the same way for all.
import { startSimulator, waitFor } from "@mtx-fleet/testkit";
import {
  DEFAULT_ANALYZE_DURATION_US,
  DEFAULT_PROBE_SIZE_BYTES,
} from "../../../plugins/probe/src/deep/deep-probe-args.ts";
import { DEFAULT_PROBE_MAX_CONCURRENT, ProbeLimiter } from "../../../plugins/probe/src/deep/probe-limiter.ts";
import { runDeepProbe } from "../../../plugins/probe/src/deep/run-deep-probe.ts";
import { runProcessGroup } from "../../../plugins/probe/src/deep/run-process-group.ts";
import { probeRequest } from "../../../plugins/probe/src/deep/test-support/probe-request.ts";
import { publishTestStream } from "../../../plugins/probe/src/test-stream/publish-test-stream.ts";

/** One way of probing, measured `runs` times. */
export interface DeepProbeVariantRow {
  readonly name: string;
  /** `-`: no stream read (the process start-up floor). */
  readonly transport: "hls" | "rtmp" | "-";
  readonly runs: number;
  readonly failures: number;
  /** Spawn → result (for ffprobe: → stream info; it runs no filters). */
  readonly verdictP50Ms: number;
  readonly verdictMaxMs: number;
  readonly cpuAvgMs: number;
}

/** Probes back to back through a `ProbeLimiter` with `cap` slots. */
export interface DeepProbeCapRow {
  readonly cap: number;
  readonly probes: number;
  readonly wallMs: number;
  readonly probesPerMinute: number;
  readonly cpuAvgMs: number;
  readonly verdictP50Ms: number;
}

export interface DeepProbeBench {
  readonly sampleSeconds: number;
  readonly variants: readonly DeepProbeVariantRow[];
  readonly caps: readonly DeepProbeCapRow[];
}

export interface DeepProbeBenchOptions {
  readonly runs?: number;
  readonly sampleSeconds?: number;
  readonly caps?: readonly number[];
  readonly probesPerCap?: number;
  readonly onRow?: (row: DeepProbeVariantRow | DeepProbeCapRow) => void;
}

interface Sample {
  readonly ok: boolean;
  readonly ms: number;
  readonly cpuMs: number;
}

type Variant = {
  readonly name: string;
  readonly transport: DeepProbeVariantRow["transport"];
  readonly run: () => Promise<Sample>;
};

const TIMEOUT_MS = 30_000;
const USER_AGENT = "mtx-fleet-probe/bench";

async function ours(url: string, sampleSeconds: number): Promise<Sample> {
  const result = await runDeepProbe(
    probeRequest(url, { sampleSeconds, timeoutMs: TIMEOUT_MS, userAgent: USER_AGENT }),
  );
  if (result.kind !== "measured") return { ok: false, ms: result.elapsedMs, cpuMs: 0 };
  return { ok: true, ms: result.measurement.elapsedMs, cpuMs: result.measurement.cpuMs };
}

async function tool(file: string, args: readonly string[]): Promise<Sample> {
  const run = await runProcessGroup(file, args, { timeoutMs: TIMEOUT_MS });
  return { ok: run.outcome === "exited" && run.exitCode === 0, ms: run.elapsedMs, cpuMs: run.cpuMs ?? 0 };
}

/** The same filters as ours, with every input setting left at ffmpeg's defaults. */
function ffmpegDefaults(url: string, sampleSeconds: number): string[] {
  return [
    ...["-hide_banner", "-nostdin", "-nostats", "-t", String(sampleSeconds), "-i", url],
    ...["-vf", "blackdetect=d=0.5:pix_th=0.1,freezedetect=n=-60dB:d=1", "-af", "silencedetect=n=-50dB:d=1"],
    ...["-f", "null", "-"],
  ];
}

/** The two-process design the engine does not use: a tuned ffprobe for stream info, then the filters. */
async function ffprobeThenFfmpeg(url: string, sampleSeconds: number): Promise<Sample> {
  const tuned = [
    "-analyzeduration",
    String(DEFAULT_ANALYZE_DURATION_US),
    "-probesize",
    String(DEFAULT_PROBE_SIZE_BYTES),
  ];
  const info = await tool("ffprobe", ["-v", "error", ...tuned, "-show_streams", "-of", "json", url]);
  const filters = await ours(url, sampleSeconds);
  return { ok: info.ok && filters.ok, ms: info.ms + filters.ms, cpuMs: info.cpuMs + filters.cpuMs };
}

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);

function variants(hls: string, rtmp: string, sampleSeconds: number): Variant[] {
  const v = (name: string, transport: Variant["transport"], run: () => Promise<Sample>): Variant => ({
    name,
    transport,
    run,
  });
  const oursName = `ours: one ffmpeg, ${sampleSeconds} s sample, all filters`;
  const ffprobeName = "ffprobe <url> (defaults; stream info only)";
  const defaultsName = "ffmpeg defaults, same filters and sample";
  return [
    v(oursName, "hls", () => ours(hls, sampleSeconds)),
    v("ours, 5 s sample (read from the HLS window)", "hls", () => ours(hls, 5)),
    v(ffprobeName, "hls", () => tool("ffprobe", ["-hide_banner", hls])),
    v(defaultsName, "hls", () => tool("ffmpeg", ffmpegDefaults(hls, sampleSeconds))),
    v("tuned ffprobe, then our ffmpeg (2 processes)", "hls", () => ffprobeThenFfmpeg(hls, sampleSeconds)),
    v(oursName, "rtmp", () => ours(rtmp, sampleSeconds)),
    v(ffprobeName, "rtmp", () => tool("ffprobe", ["-hide_banner", rtmp])),
    v(defaultsName, "rtmp", () => tool("ffmpeg", ffmpegDefaults(rtmp, sampleSeconds))),
    v("floor: ffmpeg -version (process start-up only)", "-", () => tool("ffmpeg", ["-version"])),
  ];
}

async function measureVariants(
  list: readonly Variant[],
  runs: number,
  onRow?: DeepProbeBenchOptions["onRow"],
) {
  const samples = new Map<Variant, Sample[]>(list.map((v) => [v, []]));
  // Interleaved, so a load spike on the shared box hits every variant alike.
  for (let i = 0; i < runs; i++) {
    for (const v of list) samples.get(v)?.push(await v.run());
  }
  return list.map((v) => {
    const all = samples.get(v) ?? [];
    const ok = all.filter((s) => s.ok);
    const row: DeepProbeVariantRow = {
      name: v.name,
      transport: v.transport,
      runs: all.length,
      failures: all.length - ok.length,
      verdictP50Ms: quantile(
        ok.map((s) => s.ms),
        0.5,
      ),
      verdictMaxMs: Math.max(0, ...ok.map((s) => s.ms)),
      cpuAvgMs: mean(ok.map((s) => s.cpuMs)),
    };
    onRow?.(row);
    return row;
  });
}

async function measureCap(
  url: string,
  cap: number,
  probes: number,
  sampleSeconds: number,
): Promise<DeepProbeCapRow> {
  const limiter = new ProbeLimiter({ maxConcurrent: cap, maxQueued: probes });
  const started = performance.now();
  const results = await Promise.all(
    Array.from({ length: probes }, () => limiter.run(() => ours(url, sampleSeconds))),
  );
  const wallMs = performance.now() - started;
  const ok = results.filter((r) => r.ok);
  return {
    cap,
    probes,
    wallMs,
    probesPerMinute: (ok.length / wallMs) * 60_000,
    cpuAvgMs: mean(ok.map((r) => r.cpuMs)),
    verdictP50Ms: quantile(
      ok.map((r) => r.ms),
      0.5,
    ),
  };
}

/**
 * Starts the simulator with its `testsrc` scenario on one path (read over HLS) and a live
 * `testsrc` publisher over RTMP on another (read back over RTMP: a live source, where start-up
 * settings matter most), waits until the HLS playlist holds its full window (like a stream that
 * has been up a while), then measures.
 */
export async function deepProbeBench(options: DeepProbeBenchOptions = {}): Promise<DeepProbeBench> {
  const { runs = 10, sampleSeconds = 1, probesPerCap = 12, onRow } = options;
  const caps = options.caps ?? [1, DEFAULT_PROBE_MAX_CONCURRENT, 4];
  await using sim = await startSimulator({ validateResponses: false });
  await sim.control.publish("bench/testsrc", "testsrc");
  await using _live = await publishTestStream("testsrc", `${sim.rtmpUrl}/bench/live`);
  const hls = `${sim.hlsUrl}/bench/testsrc/index.m3u8`;
  await waitFor(
    async () => (await fetch(hls)).text(),
    (playlist) => (playlist.match(/#EXTINF/g) ?? []).length >= 6,
    30_000,
    250,
  );
  const rows = await measureVariants(variants(hls, `${sim.rtmpUrl}/bench/live`, sampleSeconds), runs, onRow);
  const capRows: DeepProbeCapRow[] = [];
  for (const cap of caps) {
    const row = await measureCap(hls, cap, probesPerCap, sampleSeconds);
    onRow?.(row);
    capRows.push(row);
  }
  return { sampleSeconds, variants: rows, caps: capRows };
}
