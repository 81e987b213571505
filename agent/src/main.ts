#!/usr/bin/env node
// mtx-agent: owns the process — arguments, signals, the root logger and the only
// process.exit. Everything else lives in startAgent().
import { MtxError, type PluginDefinition } from "@mtx-fleet/plugin-api";
import { hooksPlugin } from "@mtx-fleet/plugin-hooks";
import { orchestrationPlugin } from "@mtx-fleet/plugin-orchestration";
import { probePlugin } from "@mtx-fleet/plugin-probe";
import { systemMetricsPlugin } from "@mtx-fleet/plugin-system-metrics";
import { pino } from "pino";
import packageJson from "../package.json" with { type: "json" };
import { describeConfigError, parseDaemonArgs } from "./cli/daemon-args.ts";
import { DEFAULT_AGENT_CONFIG_PATH } from "./config/agent-config-schema.ts";
import { type LoadedAgentConfig, loadAgentConfig } from "./config/load-agent-config.ts";
import { type RunningAgent, startAgent } from "./start-agent.ts";
import { createSdNotifier } from "./systemd/sd-notify.ts";

const VERSION = packageJson.version;
const BUILTINS: readonly PluginDefinition[] = [
  systemMetricsPlugin as unknown as PluginDefinition,
  hooksPlugin as unknown as PluginDefinition,
  orchestrationPlugin as unknown as PluginDefinition,
  probePlugin as unknown as PluginDefinition,
];

const USAGE = `usage: mtx-agent [--config FILE]          run the agent (default ${DEFAULT_AGENT_CONFIG_PATH})
       mtx-agent check-config [FILE]     validate a config file and exit (0 = valid)
       mtx-agent --version`;

/** Secrets never reach the log, whatever object carries them. */
const REDACT = [
  "password",
  "token",
  "*.password",
  "*.token",
  "*.*.password",
  "*.*.token",
  "headers.authorization",
  "*.headers.authorization",
];

async function main(): Promise<number> {
  const args = parseDaemonArgs(process.argv.slice(2), DEFAULT_AGENT_CONFIG_PATH);
  if (args.command === "version") {
    process.stdout.write(`mtx-agent ${VERSION}\n`);
    return 0;
  }
  if (args.command === "help") {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  let loaded: LoadedAgentConfig;
  try {
    loaded = await loadAgentConfig(args.file);
  } catch (error) {
    process.stderr.write(`mtx-agent: ${describeConfigError(error)}\n`);
    return 1;
  }
  if (args.command === "check") {
    process.stdout.write(
      `${args.file}: valid (node '${loaded.config.node.name}', ${Object.keys(loaded.config.plugins).length} plugin entries)\n`,
    );
    return 0;
  }

  const logger = pino({
    level: loaded.config.log.level,
    base: { node: loaded.config.node.name },
    redact: { paths: REDACT, censor: "[redacted]" },
  });
  // A plugin's stray promise or callback must not take the daemon down: log it and go on.
  process.on("unhandledRejection", (reason) => logger.error({ err: reason }, "unhandled promise rejection"));
  process.on("uncaughtException", (error) => logger.error({ err: error }, "uncaught exception"));

  const notifier = createSdNotifier({ env: process.env, logger });
  // Signals are handled from the first moment: a stop asked for during start-up waits for the
  // start to finish (or fail) and then stops cleanly; a reload during start-up is ignored.
  let stopSignal: string | undefined;
  let wake: (() => void) | undefined;
  let agent: RunningAgent | undefined;
  const requestStop = (signal: string): void => {
    stopSignal ??= signal;
    wake?.();
  };
  process.on("SIGTERM", () => requestStop("SIGTERM"));
  process.on("SIGINT", () => requestStop("SIGINT"));
  process.on("SIGHUP", () => {
    if (agent === undefined) return;
    const running = agent;
    loadAgentConfig(args.file)
      .then((next) => running.reload(next))
      .catch((error: unknown) =>
        logger.error(
          { err: MtxError.from(error).toJSON() },
          "config reload rejected; kept the running config",
        ),
      );
  });

  try {
    agent = await startAgent({ loaded, logger, version: VERSION, builtins: BUILTINS });
  } catch (error) {
    logger.fatal({ err: MtxError.from(error).toJSON() }, "agent could not start");
    return 1;
  }
  // The watchdog is fed from the event loop: a blocked loop (a runaway plugin) stops the pings
  // and systemd restarts the agent.
  const watchdog =
    notifier.watchdogIntervalMs === null
      ? undefined
      : setInterval(() => void notifier.watchdog(), notifier.watchdogIntervalMs);
  watchdog?.unref();
  if (stopSignal === undefined) await notifier.ready(`serving ${agent.localApiUrl}`);

  if (stopSignal === undefined) await new Promise<void>((resolve) => (wake = resolve));
  logger.info({ signal: stopSignal }, "stopping");
  clearInterval(watchdog);
  await notifier.stopping();
  await agent.stop();
  logger.info({}, "stopped");
  return 0;
}

process.exit(await main());
