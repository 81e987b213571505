import { definePlugin, MtxError, type PluginHealth } from "@mtx-fleet/plugin-api";
import { compilePlan } from "./compile-plan.ts";
import { ForwarderDestinations } from "./forwarder-destinations.ts";
import { orchestrationConfig } from "./orchestration-config.ts";
import { createOrchestrationMetrics } from "./orchestration-metrics.ts";
import { registerOrchestrationRoutes } from "./orchestration-routes.ts";
import { Orchestrator } from "./orchestrator.ts";
import { OrphanGroups } from "./orphan-groups.ts";

/** How long start waits for the groups a crashed run left to die (SIGKILL: the kernel is quick). */
const SWEEP_TIMEOUT_MS = 3_000;

function healthOf(orchestrator: Orchestrator, configError: string | null): PluginHealth {
  if (configError !== null) return { status: "degraded", reason: `new config rejected: ${configError}` };
  const failing = orchestrator.list().filter((w) => w.state === "backoff");
  if (failing.length === 0) return { status: "ok" };
  const names = failing.slice(0, 5).map((w) => w.id);
  return {
    status: "degraded",
    reason: `restarting after exits: ${names.join(", ")}${failing.length > 5 ? ", …" : ""}`,
  };
}

/**
 * Orchestration: one worker process per stream and rule (e.g. `live/{streamId}/in` → a
 * republisher to `live/{streamId}/out`), started on the ready hook, kept through a grace period
 * when the stream goes, restarted with backoff when it exits; and egress forwarders that copy a
 * stream to third-party RTMP. Whole process groups are killed on stop.
 */
export const orchestrationPlugin = definePlugin({
  manifest: {
    name: "orchestration",
    version: "0.1.0",
    apiRange: "^1.0.0",
    description: "Workers per stream from path rules, and RTMP egress forwarders",
  },
  config: orchestrationConfig,
  setup(ctx, config) {
    const destinations = new ForwarderDestinations(ctx.store);
    const groups = new OrphanGroups(ctx.store, ctx.logger);
    let configError: string | null = null;
    const orchestrator = new Orchestrator(compilePlan(config), {
      scheduler: ctx.scheduler,
      clock: ctx.clock,
      logger: ctx.logger,
      journal: ctx.journal,
      metrics: createOrchestrationMetrics(ctx.metrics),
      destinations,
      groups,
      // The plugin's edge: workers inherit only the `inheritEnv` names of it.
      env: process.env,
    });
    return {
      async start() {
        // Before anything is spawned: a stream must never get a second worker.
        await groups.sweep(SWEEP_TIMEOUT_MS);
        ctx.events.on("mediamtx.hook", (event) => orchestrator.onHook(event));
        // Streams already live when the agent (re)started have no hook coming: the snapshot has them.
        const current = ctx.mediamtx.current();
        if (current !== null && !current.stale) orchestrator.onSnapshot(current.snapshot);
        ctx.mediamtx.subscribe((event) => {
          if (event.type === "snapshot") orchestrator.onSnapshot(event.snapshot);
        });
        registerOrchestrationRoutes(ctx.http, orchestrator, destinations);
      },
      async stop() {
        await orchestrator.shutdown();
        await groups.flushed();
      },
      async reconfigure(next) {
        let plan: ReturnType<typeof compilePlan>;
        try {
          plan = compilePlan(next);
        } catch (error) {
          // Throwing would fail the plugin and kill every worker over one typo in one rule: keep
          // the running rules and say so in the health until a good config comes.
          configError = MtxError.from(error).message;
          ctx.logger.error(
            { err: MtxError.from(error).toJSON() },
            "new config rejected; the previous rules keep running",
          );
          return;
        }
        configError = null;
        await orchestrator.setPlan(plan);
      },
      health: () => healthOf(orchestrator, configError),
    };
  },
});
