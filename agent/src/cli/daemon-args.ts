import { MtxError } from "@mtx-fleet/plugin-api";

/** What a daemon's command line asks for (`mtx-agent`, `mtx-hub`). */
export interface DaemonArgs {
  readonly command: "run" | "check" | "version" | "help";
  readonly file: string;
}

/**
 * `[--config FILE]`, `check-config [FILE]`, `--version`, `--help`; anything else is `help`
 * (the caller prints usage and exits 2).
 */
export function parseDaemonArgs(argv: readonly string[], defaultConfigPath: string): DaemonArgs {
  const [first, second, third] = argv;
  if (first === "--version" || first === "-v") return { command: "version", file: "" };
  if (first === "--help" || first === "-h") return { command: "help", file: "" };
  if (first === "check-config" && third === undefined)
    return { command: "check", file: second ?? defaultConfigPath };
  if (first === undefined) return { command: "run", file: defaultConfigPath };
  if (first === "--config" && second !== undefined && third === undefined)
    return { command: "run", file: second };
  return { command: "help", file: "" };
}

/** A config error for a terminal: the message, or the file and one issue per line. */
export function describeConfigError(error: unknown): string {
  const mtx = MtxError.from(error, "MTX_INVALID_INPUT");
  const issues = (mtx.details?.issues as Array<{ message: string }> | undefined) ?? [];
  return issues.length > 1
    ? `${mtx.message.split(": ")[0]}:\n${issues.map((i) => `  - ${i.message}`).join("\n")}`
    : mtx.message;
}
