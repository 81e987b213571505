/**
 * The logging surface the library modules need. A pino logger fits it; tests pass
 * `silentLogger` or a recording stub.
 */
export interface LibLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

const ignore = (): void => {};

/** A logger that drops everything (the default of every option `logger`). */
export const silentLogger: LibLogger = { debug: ignore, info: ignore, warn: ignore, error: ignore };
