import { join } from "node:path";
import { definePlugin, MtxError, type PluginHealth, STREAM_VERDICTS } from "@mtx-fleet/plugin-api";
import packageJson from "../package.json" with { type: "json" };
import { HLS_SESSION_LINGER_MS, OwnReads } from "./own-reads.ts";
import { probeConfig } from "./probe-config.ts";
import type { ProbeEngine } from "./probe-engine.ts";
import { ProbeOperations } from "./probe-operations.ts";
import { registerProbeRoutes } from "./register-probe-routes.ts";
import { StreamMonitor, type VerdictChange } from "./stream-monitor.ts";
import { createPolicyResolver } from "./stream-policy.ts";
import { StreamProber } from "./stream-prober.ts";
import { ThumbnailStore } from "./thumbnail-store.ts";

/** The probe's reads carry this user agent (HLS, RTSP), so MediaMTX logs and sessions show them. */
export const PROBE_USER_AGENT = `mtx-fleet-probe/${packageJson.version}`;

/** Failed polls in a row after which every stream is `unknown` (`no_snapshot`). */
const SNAPSHOT_FAILURES_UNKNOWN = 2;

/** How often due deep probes and thumbnails are started; the pacing itself is per stream. */
const TICK_MS = 500;

// Other plugins (remediation, alerts) can follow verdicts in-process.
declare module "@mtx-fleet/plugin-api" {
  interface MtxEvents {
    "probe.verdict": VerdictChange;
  }
}

/**
 * The probe plugin with a given deep-probe engine (the real one is `deep/`; the engine is a
 * parameter so the plugin's scheduling and verdicts do not depend on how probes run).
 */
export function createProbePlugin(engine: ProbeEngine) {
  return definePlugin({
    manifest: {
      name: "probe",
      version: packageJson.version,
      apiRange: "^1.0.0",
      description:
        "Stream health: snapshot checks every poll, deep probes, verdicts, thumbnails, probe any URL",
    },
    config: probeConfig,
    setup(ctx, config) {
      const policyFor = createPolicyResolver(config);
      const now = (): number => ctx.clock.now();
      const slots = engine.slots({
        maxConcurrent: config.deep.maxConcurrent,
        maxQueued: config.deep.maxQueued,
      });
      const hls = /^https?:/i.test(config.readUrl);
      const ownReads = new OwnReads({ lingerMs: hls ? HLS_SESSION_LINGER_MS : 0, now });
      const probes = ctx.metrics.counter({
        name: "deep_probes_total",
        help: "Deep probes by result",
        labelNames: ["result"],
      });
      const probeSeconds = ctx.metrics.histogram({
        name: "deep_probe_seconds",
        help: "Wall time of deep probes",
        buckets: [1, 2, 5, 10, 20, 30, 60],
      });
      const thumbs = ctx.metrics.counter({
        name: "thumbnails_total",
        help: "Thumbnails by result",
        labelNames: ["result"],
      });
      const streams = ctx.metrics.gauge({
        name: "streams",
        help: "Streams by verdict",
        labelNames: ["verdict"],
      });
      const prober = new StreamProber({
        engine,
        slots,
        config,
        userAgent: PROBE_USER_AGENT,
        ownReads,
        now,
        signal: ctx.signal,
      });
      let monitor: StreamMonitor | undefined;
      let operations: ProbeOperations | undefined;

      const announce = (change: VerdictChange): void => {
        const { path, verdict, previous, reasons, values, checkedAt } = change;
        const fields = { path, verdict, previous, reasons: reasons.map((r) => r.code) };
        if (verdict === "healthy") ctx.logger.info(fields, `stream ${verdict}`);
        else ctx.logger.warn(fields, `stream ${verdict}`);
        ctx.events.emit("probe.verdict", change);
        ctx.journal
          .record({
            kind: "probe.verdict",
            path,
            occurredAt: checkedAt,
            payload: { verdict, previous, reasons, values },
          })
          .catch((error: unknown) =>
            ctx.logger.error({ path, err: MtxError.from(error).toJSON() }, "verdict event not stored"),
          );
      };
      const countVerdicts = (): void => {
        if (monitor === undefined) return;
        const counts = Object.fromEntries(STREAM_VERDICTS.map((v) => [v, 0]));
        for (const path of monitor.paths()) {
          const verdict = monitor.report(path)?.health?.verdict;
          if (verdict !== undefined) counts[verdict] = (counts[verdict] ?? 0) + 1;
        }
        for (const [verdict, count] of Object.entries(counts)) streams.set(count, { verdict });
      };

      return {
        async start() {
          const thumbnails = await ThumbnailStore.open({
            dir: join(ctx.dataDir, config.thumbnails.dir),
            maxCount: config.thumbnails.maxCount,
            maxBytes: config.thumbnails.maxBytes,
          });
          const m = new StreamMonitor({
            config,
            policyFor,
            prober,
            thumbnails,
            ownReads,
            userAgent: PROBE_USER_AGENT,
            board: ctx.streams,
            onVerdict: announce,
            metrics: {
              probed: (result, seconds) => {
                probes.inc({ result });
                probeSeconds.observe(seconds);
              },
              thumbnail: (result) => thumbs.inc({ result }),
            },
            logger: ctx.logger,
            now,
          });
          monitor = m;
          const ops = new ProbeOperations({
            config,
            monitor: m,
            thumbnails,
            engine,
            slots,
            userAgent: PROBE_USER_AGENT,
            signal: ctx.signal,
          });
          operations = ops;
          ctx.mediamtx.subscribe((event) => {
            // One failed poll is a blip; from the second the streams are not judged any more.
            if (event.type === "error" && event.consecutiveFailures < SNAPSHOT_FAILURES_UNKNOWN) return;
            if (event.type === "error") m.snapshotsFailing(now(), event.error.message);
            else m.observe(event.snapshot);
            countVerdicts();
          });
          const current = ctx.mediamtx.current();
          if (current !== null) m.observe(current.snapshot);
          ctx.scheduler.every(TICK_MS, () => m.tick());
          ctx.actions.register("probe.path", (input, action) => ops.probePath(input, action.signal));
          ctx.actions.register("probe.thumbnail", (input, action) => ops.thumbnail(input, action.signal));
          ctx.actions.register("probe.url", (input, action) => ops.probeUrl(input, action.signal));
          registerProbeRoutes(ctx.http, { monitor: m, operations: ops, thumbnails });
        },
        health(): PluginHealth {
          if (operations === undefined || monitor === undefined)
            return { status: "degraded", reason: "not started" };
          const current = ctx.mediamtx.current();
          if (current === null || current.stale) {
            return { status: "degraded", reason: "no fresh MediaMTX snapshot: streams are not judged" };
          }
          const paused = monitor.pausedReason();
          return paused === null ? { status: "ok" } : { status: "degraded", reason: paused };
        },
      };
    },
  });
}
