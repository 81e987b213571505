import { randomUUID } from "node:crypto";
import { chmod, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { definePlugin, MtxError, type PluginHealth } from "@mtx-fleet/plugin-api";
import { synthesizedEventOf } from "./hook-event-of.ts";
import { HookIntake } from "./hook-intake.ts";
import { type HookReceiver, startHookReceiver } from "./hook-receiver.ts";
import { hooksConfig } from "./hooks-config.ts";
import { createHooksMetrics } from "./hooks-metrics.ts";
import { HooksStateFile } from "./hooks-state-file.ts";
import { loadReceiverToken } from "./load-receiver-token.ts";
import { parseHookBody } from "./parse-hook-body.ts";
import { QueryEscaping } from "./query-escaping.ts";
import { RecentIds } from "./recent-ids.ts";
import { Reconciler } from "./reconciler.ts";
import { CORRUPT_DIR, SpoolDrainer } from "./spool-drainer.ts";

/** How often a receiver that could not listen (port taken) tries again. */
const LISTEN_RETRY_MS = 5_000;
/** How often changed dedupe/path state is written (coalesced). */
const STATE_FLUSH_MS = 1_000;

/** The fleet-wide stream id of a path on this node (the hub's formula: base64url of node/path). */
const streamIdOf = (nodeId: string, path: string): string =>
  Buffer.from(`${nodeId}/${path}`).toString("base64url");

/**
 * Reliable MediaMTX hooks: the receiver `mtx-hook` POSTs to, the drain of what it spooled, and
 * the reconciliation of ready/not-ready against the API snapshot. Every hook is recorded as a
 * `hook.received` journal event (→ outbox → hub) and emitted on the bus as `mediamtx.hook`.
 */
export const hooksPlugin = definePlugin({
  manifest: {
    name: "hooks",
    version: "0.1.0",
    apiRange: "^1.0.0",
    description: "MediaMTX hooks that are never lost: receiver, spool drain, reconciliation",
  },
  config: hooksConfig,
  async setup(ctx, config) {
    const tokenFile = config.tokenFile ?? join(ctx.dataDir, "token");
    const spoolDir = config.spoolDir ?? join(ctx.dataDir, "spool");
    const initial = await HooksStateFile.load(join(ctx.dataDir, "state.json"), ctx.logger);
    const recentIds = new RecentIds(initial.recentIds);
    const metrics = createHooksMetrics(ctx.metrics);
    const queryEscaping = new QueryEscaping(config.queryEscaping, ctx.mediamtx.client, ctx.logger);
    let reconciler: Reconciler;
    const state = new HooksStateFile(
      join(ctx.dataDir, "state.json"),
      () => ({ version: 1, recentIds: recentIds.toJSON(), readyPaths: reconciler.readyPaths() }),
      ctx.logger,
    );
    const intake = new HookIntake({
      journal: ctx.journal,
      events: ctx.events,
      logger: ctx.logger,
      recentIds,
      now: () => ctx.clock.now(),
      queryEscaped: (query) => queryEscaping.escaped(query),
      observe: (event) => reconciler.observe(event),
      streamIdOf: (path) => streamIdOf(ctx.node.id, path),
      onStored: () => state.markDirty(),
      counters: metrics,
    });
    reconciler = new Reconciler({
      graceMs: config.graceMs,
      now: () => ctx.clock.now(),
      after: (delayMs, task) => void ctx.scheduler.after(delayMs, task),
      currentSnapshot: () => {
        const current = ctx.mediamtx.current();
        return current === null || current.stale ? null : current.snapshot;
      },
      synthesize: (s) => {
        const event = synthesizedEventOf(s, randomUUID());
        intake
          .synthesized(event)
          .catch((error: unknown) =>
            ctx.logger.error(
              { path: s.path, hook: s.hook, err: MtxError.from(error).toJSON() },
              "synthesised hook not stored",
            ),
          );
      },
      onChange: () => state.markDirty(),
      initial: initial.readyPaths,
    });
    const drainer = new SpoolDrainer({
      dir: spoolDir,
      logger: ctx.logger,
      now: () => ctx.clock.now(),
      accept: async (parsed, file) => {
        await intake.accept(parsed, "spool", `spool-${file}`);
      },
    });

    let receiver: HookReceiver | undefined;
    let receiverProblem: string | null = "not started";
    let drainProblem: string | null = null;
    let drained = false;

    const listen = async (token: string): Promise<void> => {
      try {
        receiver = await startHookReceiver({
          host: config.host,
          port: config.port,
          token,
          receive: async (hook, body, requestId) => {
            const result = await intake.accept(parseHookBody(hook, body), "hook", requestId);
            return result.kind === "stored"
              ? { status: 202, body: { id: result.id, seq: result.seq } }
              : { status: 200, body: { id: result.id, duplicate: true } };
          },
          onRefused: (reason, requestId, message) => {
            metrics.refused.inc({ reason });
            ctx.logger.warn({ reason, requestId, message }, "hook request refused");
          },
        });
        receiverProblem = null;
        ctx.logger.info({ url: receiver.url, spoolDir, tokenFile }, "hook receiver listening");
      } catch (error) {
        const problem = `hook receiver cannot listen on ${config.host}:${config.port} (${(error as Error).message})`;
        // Logged once per problem, not per retry; hooks meanwhile go to the spool.
        if (problem !== receiverProblem)
          ctx.logger.warn({}, `${problem}; retrying, hooks are spooled meanwhile`);
        receiverProblem = problem;
      }
    };
    /** Listens now, and until that works again every LISTEN_RETRY_MS (one timer, not one per try). */
    const listenUntilListening = async (token: string): Promise<void> => {
      await listen(token);
      if (receiver !== undefined) return;
      const retry = ctx.scheduler.every(LISTEN_RETRY_MS, async () => {
        await listen(token);
        if (receiver !== undefined) retry.cancel();
      });
    };

    const drain = async (signal: AbortSignal): Promise<void> => {
      try {
        const result = await drainer.drain(signal);
        metrics.spooled.set(result.left);
        if (result.corrupt > 0) metrics.corrupt.inc({}, result.corrupt);
        if (result.replayed > 0) {
          await state.flushIfDirty();
          ctx.logger.info({ replayed: result.replayed, spoolDir }, "spooled hooks replayed");
        }
        drainProblem = null;
      } catch (error) {
        // The journal could not store (disk full): the files stay, the next drain retries.
        drainProblem = `spool drain failed: ${MtxError.from(error).message}`;
        ctx.logger.error({ err: MtxError.from(error).toJSON(), spoolDir }, "spool drain failed");
      }
      if (!drained) {
        drained = true;
        // Replayed hooks count before the snapshot is compared with them.
        if (config.reconcile) reconciler.start();
      }
    };

    return {
      async start() {
        try {
          await mkdir(spoolDir, { recursive: true });
          // setgid: files MediaMTX's user spools keep the directory's group, which the agent shares.
          await chmod(spoolDir, 0o2770).catch(() => {});
        } catch (error) {
          // The receiver still works; the drain reports the directory on every run.
          ctx.logger.error({ spoolDir, err: (error as Error).message }, "spool directory cannot be created");
        }
        ctx.mediamtx.subscribe((event) => {
          if (event.type === "error") return;
          queryEscaping.learn();
          reconciler.onSnapshot(event.snapshot);
        });
        const token = await loadReceiverToken(config.token, tokenFile);
        if (token.kind === "missing") {
          receiverProblem = `no hook token: ${token.reason}`;
          ctx.logger.error({ tokenFile }, `${receiverProblem}; the receiver stays closed, hooks are spooled`);
        } else {
          if (token.created) ctx.logger.info({ tokenFile }, "hook token created");
          await listenUntilListening(token.token);
        }
        ctx.scheduler.every(config.drainIntervalMs, drain, { immediate: true });
        ctx.scheduler.every(STATE_FLUSH_MS, () => state.flushIfDirty());
        ctx.http.route("GET", "/status", () => ({
          body: {
            receiver: { url: receiver?.url ?? null, problem: receiverProblem },
            spool: {
              dir: spoolDir,
              corruptDir: join(spoolDir, CORRUPT_DIR),
              corruptMoved: drainer.corruptTotal,
            },
            reconcile: {
              enabled: config.reconcile,
              started: drained,
              pending: reconciler.pendingCount,
              snapshotTakenAt: ctx.mediamtx.current()?.takenAt ?? null,
            },
          },
        }));
      },
      async stop() {
        await receiver?.close();
        receiver = undefined;
        state.markDirty();
        await state.flushIfDirty();
      },
      health(): PluginHealth {
        const problem =
          receiverProblem ??
          drainProblem ??
          (drainer.corruptTotal > 0
            ? `${drainer.corruptTotal} spool files could not be replayed; see ${join(spoolDir, CORRUPT_DIR)}`
            : null);
        return problem === null ? { status: "ok" } : { status: "degraded", reason: problem };
      },
    };
  },
});
