/** A structured log call: an object of fields first, then the message (pino's shape). */
export type LogFn = (fields: Readonly<Record<string, unknown>>, message: string) => void;

/**
 * The logger a plugin gets: pino-compatible, already carrying `node` and `plugin`.
 * Add `path`, `streamId` or `requestId` with `child({ path })` where they apply.
 */
export interface Logger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  child(bindings: Readonly<Record<string, unknown>>): Logger;
}
