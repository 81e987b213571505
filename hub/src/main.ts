#!/usr/bin/env node
// mtx-hub: owns the process — arguments, signals, the root logger and the only process.exit.
// Everything else lives in startHub().
import { describeConfigError, parseDaemonArgs } from "@mtx-fleet/agent";
import { MtxError } from "@mtx-fleet/plugin-api";
import { pino } from "pino";
import packageJson from "../package.json" with { type: "json" };
import { DEFAULT_HUB_CONFIG_PATH } from "./config/hub-config-schema.ts";
import { type LoadedHubConfig, loadHubConfig } from "./config/load-hub-config.ts";
import { type RunningHub, startHub } from "./start-hub.ts";

const VERSION = packageJson.version;

const USAGE = `usage: mtx-hub [--config FILE]          run the hub (default ${DEFAULT_HUB_CONFIG_PATH})
       mtx-hub check-config [FILE]     validate a config file and exit (0 = valid)
       mtx-hub --version`;

/** Secrets never reach the log, whatever object carries them. */
const REDACT = [
  "password",
  "token",
  "credential",
  "*.password",
  "*.token",
  "*.credential",
  "*.*.password",
  "*.*.token",
  "headers.authorization",
  "*.headers.authorization",
];

async function main(): Promise<number> {
  const args = parseDaemonArgs(process.argv.slice(2), DEFAULT_HUB_CONFIG_PATH);
  if (args.command === "version") {
    process.stdout.write(`mtx-hub ${VERSION}\n`);
    return 0;
  }
  if (args.command === "help") {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  let loaded: LoadedHubConfig;
  try {
    loaded = await loadHubConfig(args.file);
  } catch (error) {
    process.stderr.write(`mtx-hub: ${describeConfigError(error)}\n`);
    return 1;
  }
  if (args.command === "check") {
    const { api, link, nats } = loaded.config;
    process.stdout.write(
      `${args.file}: valid (api port ${api.port}, link port ${link.port}, ${nats === undefined ? "no NATS" : `NATS ${nats.servers.join(",")}`})\n`,
    );
    return 0;
  }

  const logger = pino({ level: loaded.config.log.level, redact: { paths: REDACT, censor: "[redacted]" } });
  process.on("unhandledRejection", (reason) => logger.error({ err: reason }, "unhandled promise rejection"));
  process.on("uncaughtException", (error) => logger.error({ err: error }, "uncaught exception"));

  // A stop asked for during start-up waits for the start to finish (or fail), then stops cleanly.
  let stopSignal: string | undefined;
  let wake: (() => void) | undefined;
  const requestStop = (signal: string): void => {
    stopSignal ??= signal;
    wake?.();
  };
  process.on("SIGTERM", () => requestStop("SIGTERM"));
  process.on("SIGINT", () => requestStop("SIGINT"));

  let hub: RunningHub;
  try {
    hub = await startHub({
      loaded,
      logger,
      version: VERSION,
      onAdminPasswordGenerated: (password) =>
        process.stderr.write(
          `mtx-hub: generated the admin password (shown only now; only its hash is stored): log in as 'admin' with password ${password}\n`,
        ),
    });
  } catch (error) {
    logger.fatal({ err: MtxError.from(error).toJSON() }, "hub could not start");
    return 1;
  }
  if (stopSignal === undefined) await new Promise<void>((resolve) => (wake = resolve));
  logger.info({ signal: stopSignal }, "stopping");
  await hub.stop();
  logger.info({}, "stopped");
  return 0;
}

process.exit(await main());
