/** Pino-compatible levels. */
const LEVELS = { debug: 20, info: 30, warn: 40, error: 50 } as const;

/** A minimal pino-style JSON logger writing to stderr (stdout carries only the ready line). */
export interface Logger {
  debug(fields: object, msg?: string): void;
  info(fields: object, msg?: string): void;
  warn(fields: object, msg?: string): void;
  error(fields: object, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

/** Creates a logger; `level` filters lower levels out. */
export function createLogger(
  options: { level?: keyof typeof LEVELS; bindings?: Record<string, unknown> } = {},
): Logger {
  const { level = "info", bindings = {} } = options;
  const min = LEVELS[level];
  const write = (lvl: keyof typeof LEVELS, fields: object, msg = ""): void => {
    if (LEVELS[lvl] < min) return;
    const line = { level: LEVELS[lvl], time: Date.now(), pid: process.pid, ...bindings, ...fields, msg };
    process.stderr.write(`${JSON.stringify(line)}\n`);
  };
  return {
    debug: (f, m) => write("debug", f, m),
    info: (f, m) => write("info", f, m),
    warn: (f, m) => write("warn", f, m),
    error: (f, m) => write("error", f, m),
    child: (b) => createLogger({ level, bindings: { ...bindings, ...b } }),
  };
}
