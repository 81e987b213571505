import type { Logger } from "@mtx-fleet/plugin-api";

/** The part of the agent's pino-compatible `Logger` the store and outbox use. */
export type MinimalLogger = Pick<Logger, "info" | "warn" | "error">;

/** A logger that drops everything: the default when the caller passes none. */
export const SILENT_LOGGER: MinimalLogger = {
  info: () => {},
  warn: () => {},
  error: () => {},
};
