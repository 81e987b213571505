import type { Logger } from "@mtx-fleet/plugin-api";

/** One captured log call. */
export interface CapturedLog {
  readonly level: "debug" | "info" | "warn" | "error";
  readonly message: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

/** A Logger for tests that keeps every call (children share the list and add their bindings). */
export function captureLogger(
  logs: CapturedLog[] = [],
  bindings: Readonly<Record<string, unknown>> = {},
): Logger & { logs: CapturedLog[] } {
  const at =
    (level: CapturedLog["level"]) =>
    (fields: Readonly<Record<string, unknown>>, message: string): void => {
      logs.push({ level, message, fields: { ...bindings, ...fields } });
    };
  return {
    logs,
    debug: at("debug"),
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
    child: (more) => captureLogger(logs, { ...bindings, ...more }),
  };
}
