import type { Logger } from "@mtx-fleet/plugin-api";

/** A log line as the memory logger keeps it. */
export interface LogLine {
  readonly level: "debug" | "info" | "warn" | "error";
  readonly msg: string;
  readonly [field: string]: unknown;
}

/** A Logger that keeps its lines (with bindings merged in) for assertions. */
export function createMemoryLogger(
  lines: LogLine[] = [],
  bindings: Readonly<Record<string, unknown>> = {},
): Logger & { readonly lines: LogLine[] } {
  const at =
    (level: LogLine["level"]) =>
    (fields: Readonly<Record<string, unknown>>, msg: string): void => {
      lines.push({ ...bindings, ...fields, level, msg });
    };
  return {
    lines,
    debug: at("debug"),
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
    child: (more) => createMemoryLogger(lines, { ...bindings, ...more }),
  };
}
